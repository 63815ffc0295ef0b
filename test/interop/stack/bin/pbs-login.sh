#!/bin/sh
# Dovecot post-login script (script-login): remember "<epoch> <user>" under the client address
# for the POP-before-SMTP policy service, then continue the POP3 session (Dovecot requires the
# exec). Runs as Dovecot's internal user; the file is made world-readable because the policy
# service runs as nobody.
umask 022
dir='@STATE@/pbs'
case "$IP" in
  ''|*[!0-9A-Fa-f.:]*) ;;  # only an address can become a file name
  *) if printf '%s %s\n' "$(date +%s)" "$USER" > "$dir/.$IP.$$" 2>/dev/null; then
       mv -f "$dir/.$IP.$$" "$dir/$IP"
     fi ;;
esac
exec "$@"
