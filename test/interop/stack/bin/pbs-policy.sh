#!/bin/sh
# Postfix policy service (SMTPD_POLICY_README) for POP-before-SMTP, started per connection by
# spawn(8) as nobody: usage pbs-policy.sh STATE_DIR WINDOW_SECONDS. A request is a block of
# name=value lines ended by an empty line; the answer is one action line and an empty line.
# The client is accepted when STATE_DIR/<client_address> (written by pbs-login.sh) records a
# POP3 login at most WINDOW_SECONDS old.
dir=$1 window=$2 address=''
while IFS= read -r line; do
  line=$(printf '%s' "$line" | tr -d '\r')
  case "$line" in
    client_address=*) address=${line#client_address=} ;;
    '')
      action="REJECT 5.7.1 POP-before-SMTP: no POP3 login from $address within ${window}s"
      case "$address" in
        ''|*[!0-9A-Fa-f.:]*) ;;
        *) if [ -r "$dir/$address" ]; then
             read -r when _user < "$dir/$address"
             now=$(date +%s)
             case "$when" in
               ''|*[!0-9]*) ;;
               *) [ $((now - when)) -le "$window" ] && action=OK ;;
             esac
           fi ;;
      esac
      printf 'action=%s\n\n' "$action"
      address='' ;;
  esac
done
