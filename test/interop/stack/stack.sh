#!/usr/bin/env bash
# The loopback mail stack of ifax's integration tests: Postfix with Cyrus SASL, Dovecot POP3,
# an MIT Kerberos KDC, slapd, a test PKI with an OCSP responder and CRLs over HTTP, DSN domains
# and POP-before-SMTP. Every listener is on 127.0.0.1 (and ::1 where the service can).
#
#   stack.sh install   Debian packages (as root; no distro daemon is started or enabled)
#   stack.sh start     make the state (PKI, KDC and LDAP databases, configurations), start
#                      the daemons; does nothing when they already run
#   stack.sh stop      stop the daemons this state directory's pid files name, nothing else
#   stack.sh status    exit 0 when every daemon and listener is up, and only on loopback
#   stack.sh env       the settings as JSON (test/interop/stack-types.ts)
#   stack.sh packages  the Debian packages the stack needs, one a line
#
# Environment: IFAX_STACK_STATE (default <repo>/.tmp/mailstack, or a directory under /tmp when
# the checkout is not reachable by the daemons' users), IFAX_STACK_PORT_BASE (default
# 12000; the stack uses BASE..BASE+79), IFAX_STACK_PBS_WINDOW (POP-before-SMTP window in
# seconds, default 300), IFAX_STACK_RUN (recorded as who started the daemons).
# Runs as root without systemd: the daemons start as root and drop privileges themselves.
set -eEuo pipefail
umask 022
# A step that fails says which, rather than the script ending without a word.
trap 'echo "stack: failed at ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND" >&2' ERR

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEMPLATES=$HERE/templates
REPO=$(cd "$HERE/../../.." && pwd)
# searchable DIR: every directory from / to DIR lets other users through (Postfix, Dovecot and
# nobody must reach the state directory).
searchable() {
  local d=$1
  while [ "$d" != / ]; do
    [ ! -e "$d" ] || [ "$(( $(stat -c '%a' "$d") % 2 ))" = 1 ] || return 1
    d=$(dirname "$d")
  done
}
if [ -n "${IFAX_STACK_STATE:-}" ]; then
  STATE=$IFAX_STACK_STATE
  case "$STATE" in /*) ;; *) STATE=$PWD/$STATE ;; esac
elif searchable "$REPO"; then
  STATE=$REPO/.tmp/mailstack
else
  # A checkout under a private home (/root/...): one state directory per checkout under /tmp.
  STATE=/tmp/ifax-mailstack-$(printf '%s' "$REPO" | md5sum | cut -c1-12)
fi
PKI=$STATE/pki
PFETC=$STATE/postfix/etc
RUN=$STATE/run
BASE=${IFAX_STACK_PORT_BASE:-12000}
PBS_WINDOW=${IFAX_STACK_PBS_WINDOW:-300}

# Ports: one block per service family, so that a listing of the stack reads at a glance.
SMTP_PORT=$((BASE + 0)) SMTPS_PORT=$((BASE + 1)) SUBMISSION_PORT=$((BASE + 2))
PBS_PORT=$((BASE + 3)) SINK_PORT=$((BASE + 4))
POP3_PORT=$((BASE + 10)) POP3S_PORT=$((BASE + 11))
LDAP_PORT=$((BASE + 20)) LDAPS_PORT=$((BASE + 21))
KDC_PORT=$((BASE + 30))
HTTP_PORT=$((BASE + 40))
VARIANTS=(expired wrongcn untrusted badku revoked nochain)
VARIANT_SMTPS=$((BASE + 50)) VARIANT_STARTTLS=$((BASE + 60)) VARIANT_POP3S=$((BASE + 70))

DOMAIN=ifax.test RELAY_DOMAIN=relay.ifax.test FAIL_DOMAIN=fail.ifax.test REALM=IFAX.TEST
# fax1-3 are shared by the tests that send and look into Maildirs; pop1 is the POP3 client's
# tests'; poll1-3 are emptied by the poll tests (a poll fetches and deletes a whole mailbox, so
# it must never share one with a test that waits for its mail). recv1 is emptied by the
# receive benchmark (bench/receive.js), recv2 by the poll certificate tests.
USERS=(fax1 fax2 fax3 pop1 poll1 poll2 poll3 recv1 recv2)
password() { echo "${1}secret"; }
LDAP_BASE=dc=ifax,dc=test LDAP_ADMIN_DN=cn=admin,dc=ifax,dc=test LDAP_ADMIN_PW=adminsecret
# Mailboxes belong to nobody: a test stack should not add a system account to the machine.
MAIL_UID=$(id -u nobody 2>/dev/null || echo 65534) MAIL_GID=$(getent group nogroup | cut -d: -f3 || true)
MAIL_GID=${MAIL_GID:-65534}

# The packages, each with what needs it. `install` installs them; `start` names the missing.
PACKAGES=(
  postfix                      # SMTP server (smtpd, DSN, virtual delivery)
  sasl2-bin                    # saslpasswd2: the SASL secrets of smtpd
  libsasl2-modules             # SASL PLAIN LOGIN CRAM-MD5 DIGEST-MD5 NTLM
  libsasl2-modules-gssapi-mit  # SASL GSSAPI
  dovecot-core dovecot-pop3d   # POP3 server (USER/PASS, APOP, STLS, POP3S)
  dovecot-gssapi               # POP3 AUTH GSSAPI
  slapd ldap-utils             # LDAP server; ldapsearch for the self-tests
  krb5-kdc krb5-admin-server   # KDC; kdb5_util and kadmin.local make the realm
  krb5-user                    # kinit/klist for the self-tests
  socat                        # TLS fronts presenting the bad certificates on POP3S ports
  openssl                      # the PKI and the OCSP responder
  iproute2                     # ss: which addresses the daemons listen on
  procps                       # ps: the daemons' child processes
  curl                         # self-test client for SASL DIGEST-MD5, NTLM, GSSAPI
  python3                      # self-test clients (smtplib, poplib, ssl)
)
export KRB5_CONFIG=$STATE/krb5/krb5.conf KRB5_KDC_PROFILE=$STATE/krb5/kdc.conf

log() { printf 'stack: %s\n' "$*" >&2; }
die() { printf 'stack: %s\n' "$*" >&2; exit 1; }

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || printf '%s ' "$p"
  done
}

# Refuses, with what to do, rather than starting half a stack.
preflight() {
  [ "$(id -u)" = 0 ] || die "the mail stack must run as root (its daemons bind ports and drop privileges themselves); run the tests as root, e.g. in the CI container"
  command -v node >/dev/null || die "node is not on PATH (the stack's OCSP/CRL server runs on it)"
  command -v dpkg-query >/dev/null || die "the mail stack needs Debian's packages: ${PACKAGES[*]}"
  local missing; missing=$(missing_packages)
  [ -z "$missing" ] || die "missing Debian packages: ${missing}— install them with: $0 install (or apt-get install ${missing% })"
  searchable "$(dirname "$STATE")" ||
    die "a directory above $STATE is not searchable by other users, so Postfix and Dovecot cannot reach it; set IFAX_STACK_STATE to a directory under /tmp"
}

do_install() {
  [ "$(id -u)" = 0 ] || die "install must run as root"
  local missing; missing=$(missing_packages)
  [ -n "$missing" ] || { log "all packages installed"; return 0; }
  log "installing $missing"
  # Answers that keep the packages from configuring a system instance of their own.
  debconf-set-selections <<'SEL'
postfix postfix/main_mailer_type select No configuration
postfix postfix/mailname string ifax.test
slapd slapd/no_configuration boolean true
krb5-config krb5-config/default_realm string IFAX.TEST
krb5-config krb5-config/add_servers boolean false
krb5-config krb5-config/read_conf boolean true
SEL
  # No daemon may start during the install (they would listen on every address with the
  # distro's configuration); policy-rc.d's 101 tells invoke-rc.d "not allowed".
  local made_policy=0 rc=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  # shellcheck disable=SC2086
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold $missing
  } >/tmp/ifax-stack-apt.log 2>&1 || rc=$?
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || { tail -30 /tmp/ifax-stack-apt.log >&2; die "apt-get failed (log: /tmp/ifax-stack-apt.log)"; }
  log "installed"
}

# IPv6 loopback: the services that can listen on ::1 do so when the machine has it.
if [ -z "${IFAX_STACK_NO_IPV6:-}" ] && grep -qE '^0{31}1 .* lo$' /proc/net/if_inet6 2>/dev/null; then IPV6=1; else IPV6=0; fi

# render TEMPLATE OUT: @NAME@ becomes the value of shell variable NAME.
render() {
  local text name
  text=$(<"$1")
  for name in $(grep -o '@[A-Z0-9_]*@' "$1" | sort -u | tr -d @ || true); do
    [ -n "${!name+x}" ] || die "template $1 uses @$name@, which is not set"
    text=${text//@$name@/${!name}}
  done
  printf '%s\n' "$text" > "$2"
}

# shellcheck source=pki.sh
. "$HERE/pki.sh"
# shellcheck source=daemons.sh
. "$HERE/daemons.sh"

make_dirs() {
  mkdir -p "$STATE/log" "$RUN" "$STATE/krb5" "$STATE/sasl" "$PFETC/sasl" "$STATE/postfix/spool" \
    "$STATE/postfix/data" "$STATE/dovecot/state" "$STATE/ldap/db" "$STATE/mail/$DOMAIN" "$STATE/pbs" "$STATE/bin"
  chmod 755 "$STATE"
  chown postfix:postfix "$STATE/postfix/data"; chmod 700 "$STATE/postfix/data"
  chown "$MAIL_UID:$MAIL_GID" "$STATE/mail" "$STATE/mail/$DOMAIN"
  # Written by Dovecot's internal user (pbs-login.sh), read by nobody (pbs-policy.sh).
  chown dovecot:dovecot "$STATE/pbs"
  chmod 700 "$STATE/ldap/db"
  # The helpers run as unprivileged users: copies under the state directory, which they can
  # reach whatever the permissions of the checkout.
  local f
  for f in pbs-login.sh pbs-policy.sh; do render "$HERE/bin/$f" "$STATE/bin/$f"; chmod 755 "$STATE/bin/$f"; done
  cp "$HERE/bin/pki-http.mjs" "$STATE/bin/pki-http.mjs"
}

make_kerberos() {
  render "$TEMPLATES/krb5.conf" "$STATE/krb5/krb5.conf"
  render "$TEMPLATES/kdc.conf" "$STATE/krb5/kdc.conf"
  [ -f "$STATE/krb5/.done" ] && return 0
  log "making the Kerberos realm $REALM"
  rm -f "$STATE/krb5/principal"* "$STATE/krb5/stash" "$STATE/krb5/"*.keytab
  : > "$STATE/krb5/kadm5.acl"
  kdb5_util create -s -r "$REALM" -P kdc-master-secret >"$STATE/log/kdb5_util.log" 2>&1
  # One kadmin.local session for everything: each session opens the database again.
  local u host script="" names=""
  for u in "${USERS[@]}"; do script+="addprinc -pw $(password "$u") $u@$REALM"$'\n'; done
  # The names clients put in a service principal: what they dial (rdns is off).
  for host in localhost 127.0.0.1 mail.ifax.test; do
    script+="addprinc -randkey smtp/$host@$REALM"$'\n'"addprinc -randkey pop/$host@$REALM"$'\n'
    names+=" smtp/$host pop/$host"
  done
  script+="ktadd -k $STATE/krb5/services.keytab$names"$'\n'
  # -norandkey keeps the password valid beside the keytab (kinit works both ways).
  for u in "${USERS[@]}"; do script+="ktadd -k $STATE/krb5/$u.keytab -norandkey $u@$REALM"$'\n'; done
  printf '%s' "$script" | kadmin.local -r "$REALM" >"$STATE/log/kadmin.log" 2>&1
  # smtpd runs as postfix and Dovecot's auth as dovecot: both read the service keys. A test
  # realm's keys; a real site would give each its own keytab.
  chmod 644 "$STATE/krb5/"*.keytab
  touch "$STATE/krb5/.done"
}

make_postfix() {
  INET_PROTOCOLS=$([ "$IPV6" = 1 ] && echo all || echo ipv4)
  render "$TEMPLATES/postfix-main.cf" "$PFETC/main.cf"
  render "$TEMPLATES/postfix-master.cf" "$PFETC/master.cf"
  if [ "$IPV6" = 0 ]; then  # drop each [::1] service with its indented option lines
    awk '/^\[::1\]:/ {skip = 1; next} skip && /^[ \t]/ {next} {skip = 0; print}' "$PFETC/master.cf" > "$PFETC/master.cf.new"
    mv "$PFETC/master.cf.new" "$PFETC/master.cf"
  fi
  local i v port wrapper
  for i in "${!VARIANTS[@]}"; do
    v=${VARIANTS[$i]}
    for port in "$((VARIANT_SMTPS + i)):yes" "$((VARIANT_STARTTLS + i)):no"; do
      wrapper=${port#*:} port=${port%%:*}
      cat >> "$PFETC/master.cf" <<EOF
# '$v' certificate, $([ "$wrapper" = yes ] && echo "implicit TLS" || echo STARTTLS); otherwise as the main listeners
127.0.0.1:$port inet n - n - - smtpd
  -o syslog_name=postfix/tls-$v
  -o smtpd_tls_wrappermode=$wrapper
  -o smtpd_tls_chain_files=$PKI/$v.key,$PKI/$v.chain.pem
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
EOF
    done
  done
  render "$TEMPLATES/sasl-smtpd.conf" "$PFETC/sasl/smtpd.conf"
  local u
  { for u in "${USERS[@]}" postmaster; do echo "$u@$DOMAIN $DOMAIN/$u/Maildir/"; done; } > "$PFETC/mailboxes"
  printf '%s smtp:[127.0.0.1]:%s\n' "$RELAY_DOMAIN" "$SINK_PORT" "$FAIL_DOMAIN" "$SINK_PORT" > "$PFETC/transport"
  printf '%s DISCARD relayed by the test stack\n%s 550 5.1.1 mailbox unavailable (the test stack'"'"'s fail domain)\n' \
    "$RELAY_DOMAIN" "$FAIL_DOMAIN" > "$PFETC/sink-access"
  # Maildirs now rather than at the first delivery: Dovecot serves an empty one meanwhile.
  for u in "${USERS[@]}" postmaster; do
    mkdir -p "$STATE/mail/$DOMAIN/$u/Maildir/"{cur,new,tmp}
    chown -R "$MAIL_UID:$MAIL_GID" "$STATE/mail/$DOMAIN/$u"; chmod -R go-rwx "$STATE/mail/$DOMAIN/$u"
  done
  rm -f "$STATE/sasl/sasldb2"
  for u in "${USERS[@]}"; do password "$u" | tr -d '\n' | saslpasswd2 -f "$STATE/sasl/sasldb2" -p -c -u "$DOMAIN" "$u"; done
  chown root:postfix "$STATE/sasl/sasldb2"; chmod 640 "$STATE/sasl/sasldb2"
  # `postfix check` also makes the queue directories with their owners.
  postfix -c "$PFETC" check >"$STATE/log/postfix-check.log" 2>&1 ||
    { cat "$STATE/log/postfix-check.log" >&2; die "postfix check failed"; }
}

make_dovecot() {
  LISTEN=127.0.0.1
  if [ "$IPV6" = 1 ]; then LISTEN+=', ::1'; fi
  mkdir -p "$STATE/dovecot"
  render "$TEMPLATES/dovecot.conf" "$STATE/dovecot/dovecot.conf"
  local u
  { for u in "${USERS[@]}"; do echo "$u@$DOMAIN:{PLAIN}$(password "$u")::::::"; done; } > "$STATE/dovecot/users"
  chown root:dovecot "$STATE/dovecot/users"; chmod 640 "$STATE/dovecot/users"
}

make_ldap() {
  render "$TEMPLATES/slapd.conf" "$STATE/ldap/slapd.conf"; chmod 600 "$STATE/ldap/slapd.conf"
  cp "$TEMPLATES/exchange.schema" "$STATE/ldap/exchange.schema"
  [ -f "$STATE/ldap/db/data.mdb" ] && return 0
  local u n=0
  USER_ENTRIES=""
  for u in "${USERS[@]}"; do
    n=$((n + 1))
    USER_ENTRIES+="dn: uid=$u,ou=people,$LDAP_BASE
objectClass: inetOrgPerson
uid: $u
cn: Fax User $n
sn: User $n
mail: $u@$DOMAIN
facsimileTelephoneNumber: +49 30 123456$n
userPassword: $(password "$u")

"
  done
  render "$TEMPLATES/directory.ldif" "$STATE/ldap/directory.ldif"
  slapadd -q -f "$STATE/ldap/slapd.conf" -l "$STATE/ldap/directory.ldif" >"$STATE/log/slapadd.log" 2>&1 ||
    { cat "$STATE/log/slapadd.log" >&2; die "slapadd failed"; }
}

# The settings for test/interop/stack.ts (MailStack without its two functions).
write_env() {
  local i v tls="" users="" u
  for i in "${!VARIANTS[@]}"; do
    v=${VARIANTS[$i]}
    tls+="${tls:+, }\"$v\": { \"smtps\": $((VARIANT_SMTPS + i)), \"starttls\": $((VARIANT_STARTTLS + i)), \"pop3s\": $((VARIANT_POP3S + i)) }"
  done
  for u in "${USERS[@]}"; do
    users+="${users:+, }{ \"login\": \"$u\", \"password\": \"$(password "$u")\", \"email\": \"$u@$DOMAIN\" }"
  done
  cat > "$STATE/env.json.new" <<EOF
{
  "host": "127.0.0.1",
  "ipv6": $([ "$IPV6" = 1 ] && echo true || echo false),
  "domain": "$DOMAIN",
  "smtp": { "starttls": $SMTP_PORT, "smtps": $SMTPS_PORT, "submission": $SUBMISSION_PORT, "popBeforeSmtp": $PBS_PORT },
  "popBeforeSmtpWindow": $PBS_WINDOW,
  "pop": { "plain": $POP3_PORT, "pop3s": $POP3S_PORT },
  "ldap": { "port": $LDAP_PORT, "ldapsPort": $LDAPS_PORT, "baseDn": "$LDAP_BASE", "adminDn": "$LDAP_ADMIN_DN", "adminPassword": "$LDAP_ADMIN_PW" },
  "kerberos": { "realm": "$REALM", "krb5Conf": "$STATE/krb5/krb5.conf", "keytabDir": "$STATE/krb5" },
  "pki": { "caFile": "$PKI/root-ca.crt", "crlFile": "$PKI/crl.pem", "ocspUrl": "http://127.0.0.1:$HTTP_PORT/ocsp", "dir": "$PKI" },
  "tls": { $tls },
  "users": [ $users ],
  "relayDomain": "$RELAY_DOMAIN",
  "failDomain": "$FAIL_DOMAIN",
  "maildirBase": "$STATE/mail/$DOMAIN",
  "stateDir": "$STATE"
}
EOF
  mv "$STATE/env.json.new" "$STATE/env.json"
}

# A stack left running by a jest run that was killed before its teardown belongs to the next
# run that uses it, so that run's teardown stops it. Stacks started by hand are never adopted.
adopt_orphan() {
  local by pid
  [ -n "${IFAX_STACK_RUN:-}" ] && [ -f "$STATE/started-by" ] || return 0
  by=$(<"$STATE/started-by")
  [[ "$by" =~ ^jest-([0-9]+)- ]] || return 0
  pid=${BASH_REMATCH[1]}
  alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = node ] && return 0
  printf '%s\n' "$IFAX_STACK_RUN" > "$STATE/started-by"
}

do_start() {
  if all_running; then adopt_orphan; write_env; return 0; fi
  local t0=$SECONDS
  stop_all  # leftovers of a half-started or crashed stack
  # Each start begins with empty mailboxes, no POP-before-SMTP records and fresh logs: nothing
  # of an earlier run can satisfy (or slow down) a test of this one.
  rm -rf "$STATE/mail" "$STATE/pbs" "$STATE/log"
  [ -z "$(present_listeners)" ] ||
    die "ports of the stack are taken by other programs ($(present_listeners | tr '\n' ' ')); choose another IFAX_STACK_PORT_BASE (now $BASE)"
  make_dirs; make_pki; make_kerberos; make_postfix; make_dovecot; make_ldap
  start_all
  wait_listeners 30 || { stop_all; die "the stack did not come up (logs: $STATE/log)"; }
  only_loopback || { stop_all; die "a daemon listens beyond loopback; stopped everything"; }
  write_env
  printf '%s\n' "${IFAX_STACK_RUN:-manual}" > "$STATE/started-by"
  log "up in $((SECONDS - t0)) s (settings: $0 env)"
}

do_stop() {
  stop_all
  rm -f "$STATE/started-by"
}

# One start or stop at a time: parallel test workers all call start; the first makes the stack,
# the others wait for the lock and then find it running. flock -o holds the lock itself and
# does not pass it on: a daemon inheriting the lock would hold it for its whole life.
locked() {
  local rc=0
  mkdir -p "$STATE"
  flock -o -w 150 -E 75 "$STATE/.lock" bash "$0" "$1" || rc=$?
  [ "$rc" != 75 ] || die "$STATE/.lock stayed taken for 150 s (another start or stop hangs?)"
  exit "$rc"
}

case "${1:-}" in
  install) do_install ;;
  start) preflight; locked _start ;;
  stop) [ "$(id -u)" = 0 ] || die "stop must run as root"; [ ! -d "$STATE" ] || locked _stop ;;
  _start) do_start ;;
  _stop) do_stop ;;
  status) status_report ;;
  env) [ -f "$STATE/env.json" ] || die "not started ($STATE/env.json missing)"; cat "$STATE/env.json" ;;
  packages) printf '%s\n' "${PACKAGES[@]}" ;;
  *) echo "usage: $0 install|start|stop|status|env|packages" >&2; exit 2 ;;
esac
