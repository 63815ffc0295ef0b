#!/usr/bin/env bash
# Sends every new scan in a folder as an I-Fax, and moves a scan away only once it is sent.
#
#   send-scans.sh INBOX_DIR DESTINATION [ifax options...]
#   e.g. from cron, every 5 minutes:
#   */5 * * * * /opt/ifax/examples/send-scans.sh /srv/scans FAX=+4930123456@fax.example.com --resolution fine
#
# Exit codes of `ifax send` (CLI.md) decide what happens to a file:
#   0       sent: moved to INBOX_DIR/sent/
#   75      try again later (server down, 4xx, lock): left where it is for the next run
#   65, 66  the file itself is bad: moved to INBOX_DIR/failed/ with the error beside it
#   other   (profile, login, certificate, refusal): left in place; the run stops, because the
#           next file would fail the same way; the error is on stderr (cron mails it)
# A scan still being written by the scanner is skipped until it has not changed for a minute.
set -u

inbox=${1:?usage: send-scans.sh INBOX_DIR DESTINATION [ifax options...]}
dest=${2:?usage: send-scans.sh INBOX_DIR DESTINATION [ifax options...]}
shift 2
# IFAX: how to run ifax (default: ifax on the PATH); may hold words, e.g. "node /opt/ifax/bin/ifax.js".
ifax=${IFAX:-ifax}

mkdir -p "$inbox/sent" "$inbox/failed" || exit 73
# One run at a time: cron may start the next before a long job ends.
exec 9>"$inbox/.send-scans.lock"
flock -n 9 || exit 0

status=0
for f in "$inbox"/*.pdf "$inbox"/*.PDF "$inbox"/*.tif "$inbox"/*.tiff "$inbox"/*.TIF "$inbox"/*.jpg "$inbox"/*.png; do
  [ -f "$f" ] || continue
  # Still being written? Skip files modified in the last minute.
  if [ -n "$(find "$f" -mmin -1 2>/dev/null)" ]; then continue; fi
  name=$(basename "$f")
  # $ifax unquoted on purpose: it may be a command with arguments.
  $ifax send "$f" --to "$dest" "$@" 2>"$inbox/failed/$name.err"
  rc=$?
  case $rc in
    0)
      mv -- "$f" "$inbox/sent/$name" && rm -f -- "$inbox/failed/$name.err" ;;
    75)
      rm -f -- "$inbox/failed/$name.err"; status=75 ;;
    65|66)
      mv -- "$f" "$inbox/failed/$name"; status=65 ;;
    *)
      cat "$inbox/failed/$name.err" >&2; rm -f -- "$inbox/failed/$name.err"; exit "$rc" ;;
  esac
done
exit "$status"
