# The stack's processes (sourced by stack.sh): start, stop and check them by their pid files.
# Only pids from this state directory's pid files are ever signalled, and only when the process
# behind the pid still has the expected name: a pid file left from a reboot may name someone
# else's process by now.

# name:pidfile:expected /proc/PID/comm
daemon_table() {
  echo "krb5kdc:$RUN/krb5kdc.pid:krb5kdc"
  echo "pki-http:$RUN/pki-http.pid:node"
  echo "slapd:$STATE/ldap/slapd.pid:slapd"
  echo "dovecot:$STATE/dovecot/run/master.pid:dovecot"
  echo "postfix:$STATE/postfix/spool/pid/master.pid:master"
  local v
  for v in "${VARIANTS[@]}"; do echo "pop3s-$v:$RUN/pop3s-$v.pid:socat"; done
}

# A zombie counts as gone: in a container whose PID 1 does not reap, a stopped daemon can stay
# a zombie for good.
alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# pid_of PIDFILE COMM: the live pid the file names, if it is still that program.
pid_of() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(head -n1 "$1" | tr -dc '0-9')
  [ -n "$pid" ] && alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 1
  echo "$pid"
}

# spawn PIDFILE LOG COMMAND...: a daemon that does not detach itself. setsid puts it in its own
# session (no signal meant for the test run reaches it); as the script's background job is no
# group leader, setsid does not fork and $! is the daemon's pid. Its output goes to the log, so
# no pipe of the caller (jest's execFile) stays open.
spawn() {
  local pidfile=$1 logfile=$2; shift 2
  setsid "$@" </dev/null >>"$logfile" 2>&1 &
  echo $! > "$pidfile"
}

start_all() {
  local i v
  krb5kdc -P "$RUN/krb5kdc.pid" </dev/null >>"$STATE/log/krb5kdc.out" 2>&1 || die "krb5kdc failed (log: $STATE/log/krb5kdc.log)"
  spawn "$RUN/pki-http.pid" "$STATE/log/pki-http.log" "$(command -v node)" "$STATE/bin/pki-http.mjs" 127.0.0.1 "$HTTP_PORT" "$PKI"
  local urls="ldap://127.0.0.1:$LDAP_PORT/ ldaps://127.0.0.1:$LDAPS_PORT/"
  [ "$IPV6" = 1 ] && urls+=" ldap://[::1]:$LDAP_PORT/ ldaps://[::1]:$LDAPS_PORT/"
  slapd -f "$STATE/ldap/slapd.conf" -h "$urls" </dev/null >>"$STATE/log/slapd.out" 2>&1 || die "slapd failed (log: $STATE/log/slapd.log)"
  rm -f "$STATE/dovecot/run/master.pid"  # a stale one makes Dovecot refuse to start
  dovecot -c "$STATE/dovecot/dovecot.conf" </dev/null >>"$STATE/log/dovecot.out" 2>&1 || die "dovecot failed (log: $STATE/log/dovecot.log)"
  postfix -c "$PFETC" start </dev/null >>"$STATE/log/postfix.out" 2>&1 || die "postfix failed (log: $STATE/log/postfix.log)"
  # Dovecot has one certificate per address, not per port: the bad-certificate POP3S ports are
  # TLS fronts that hand the session to Dovecot's plain POP3 port.
  for i in "${!VARIANTS[@]}"; do
    v=${VARIANTS[$i]}
    spawn "$RUN/pop3s-$v.pid" "$STATE/log/pop3s-$v.log" socat \
      "OPENSSL-LISTEN:$((VARIANT_POP3S + i)),bind=127.0.0.1,reuseaddr,fork,cert=$PKI/$v.chain.pem,key=$PKI/$v.key,verify=0" \
      "TCP:127.0.0.1:$POP3_PORT"
  done
}

stop_all() {
  local name pidfile comm pid n stopped=0
  while IFS=: read -r name pidfile comm; do
    pid=$(pid_of "$pidfile" "$comm") || { rm -f "$pidfile"; continue; }
    stopped=1
    case "$name" in
      postfix) postfix -c "$PFETC" stop >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true ;;
      # socat forks one child per connection into its own process group: end them too.
      pop3s-*) kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true ;;
      *) kill -TERM "$pid" 2>/dev/null || true ;;
    esac
    for n in $(seq 50); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then log "$name ($pid) ignored TERM for 5 s: KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$pidfile"
  done < <(daemon_table)
  # Dovecot's and Postfix's children close their sockets a moment after the master is gone.
  # (When nothing was running, listeners on these ports are someone else's: not ours to wait for.)
  [ "$stopped" = 1 ] || return 0
  local end=$((SECONDS + 10))
  while [ -n "$(present_listeners)" ]; do
    [ "$SECONDS" -lt "$end" ] || { log "still listening after stop: $(present_listeners | tr '\n' ' ')"; return 1; }
    sleep 0.1
  done
}

all_running() {
  local name pidfile comm
  while IFS=: read -r name pidfile comm; do pid_of "$pidfile" "$comm" >/dev/null || return 1; done < <(daemon_table)
  [ -z "$(missing_listeners)" ]
}

# "tcp 127.0.0.1:PORT" lines: every listener the stack must have.
expected_listeners() {
  local port i
  for port in "$SMTP_PORT" "$SMTPS_PORT" "$SUBMISSION_PORT" "$PBS_PORT" "$POP3_PORT" "$POP3S_PORT" "$LDAP_PORT" "$LDAPS_PORT"; do
    echo "tcp 127.0.0.1:$port"
    [ "$IPV6" = 1 ] && echo "tcp [::1]:$port"
  done
  for port in "$SINK_PORT" "$KDC_PORT" "$HTTP_PORT"; do echo "tcp 127.0.0.1:$port"; done
  echo "udp 127.0.0.1:$KDC_PORT"
  for i in "${!VARIANTS[@]}"; do
    echo "tcp 127.0.0.1:$((VARIANT_SMTPS + i))"; echo "tcp 127.0.0.1:$((VARIANT_STARTTLS + i))"
    echo "tcp 127.0.0.1:$((VARIANT_POP3S + i))"
  done
}
listening() { ss -Hltn | awk '{print "tcp " $4}'; ss -Hlun | awk '{print "udp " $4}'; }
missing_listeners() { comm -23 <(expected_listeners | sort -u) <(listening | sort -u); }
present_listeners() { comm -12 <(expected_listeners | sort -u) <(listening | sort -u); }

wait_listeners() {
  local end=$((SECONDS + $1))
  while [ -n "$(missing_listeners)" ]; do
    [ "$SECONDS" -lt "$end" ] || { log "not listening after $1 s: $(missing_listeners | tr '\n' ' ')"; return 1; }
    sleep 0.1
  done
}

# The daemons and every descendant (Postfix's smtpd, Dovecot's login processes, socat forks).
our_pids() {
  local roots="" name pidfile comm pid
  while IFS=: read -r name pidfile comm; do
    pid=$(pid_of "$pidfile" "$comm") && roots+=" $pid"
  done < <(daemon_table)
  ps -e -o pid=,ppid= | awk -v roots="$roots" '
    BEGIN { n = split(roots, r, " "); for (i = 1; i <= n; i++) ours[r[i]] = 1 }
    { parent[$1] = $2 }
    END { do { grew = 0; for (p in parent) if (!(p in ours) && (parent[p] in ours)) { ours[p] = 1; grew = 1 } } while (grew)
          for (p in ours) print p }'
}

# Fails, naming them, when any of our processes listens on an address other than loopback.
only_loopback() {
  local pattern bad
  pattern=$(our_pids | sed 's/.*/pid=&,/' | paste -sd'|')
  [ -n "$pattern" ] || return 0
  bad=$(ss -Hltunp | grep -E "$pattern" | awk '{print $5}' | grep -vE '^(127\.[0-9.]+|\[::1\]):' || true)
  [ -z "$bad" ] || { log "listening beyond loopback: $(echo "$bad" | tr '\n' ' ')"; return 1; }
}

status_report() {
  local name pidfile comm pid rc=0
  while IFS=: read -r name pidfile comm; do
    if pid=$(pid_of "$pidfile" "$comm"); then printf '%-16s running (pid %s)\n' "$name" "$pid"
    else printf '%-16s stopped\n' "$name"; rc=1; fi
  done < <(daemon_table)
  if [ -n "$(missing_listeners)" ]; then echo "missing listeners: $(missing_listeners | tr '\n' ' ')"; rc=1
  else echo "all $(expected_listeners | wc -l) listeners up"; fi
  if only_loopback; then echo "every listener is on loopback"; else rc=1; fi
  return $rc
}
