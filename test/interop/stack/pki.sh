# The test PKI of the stack (sourced by stack.sh; uses STATE, PKI, HTTP_PORT, log, render).
#   root CA ── intermediate CA ── valid, expired, wrongcn, badku, revoked, nochain, OCSP signer
#   rogue CA ── untrusted
# What each server presents is <name>.chain.pem with <name>.key: the leaf and the intermediate,
# except nochain (leaf only: the missing-intermediate case) and untrusted (leaf of the rogue CA).
# RSA 2048 keys: what office devices and the tools under test all accept.

pki_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$PKI/$1.key" 2>/dev/null; }

# pki_root NAME CN: a self-signed root for 30 years (tests never see it expire).
pki_root() {
  pki_key "$1"
  openssl req -new -x509 -config "$PKI/openssl.cnf" -key "$PKI/$1.key" -subj "/O=ifax test stack/CN=$2" \
    -extensions x_root -days 10950 -out "$PKI/$1.crt"
}

# pki_issue CA EXTENSIONS CN NAME [openssl ca options...]: a certificate from one of the CAs.
pki_issue() {
  local ca=$1 ext=$2 cn=$3 name=$4; shift 4
  pki_key "$name"
  openssl req -new -config "$PKI/openssl.cnf" -key "$PKI/$name.key" -subj "/O=ifax test stack/CN=$cn" \
    -out "$PKI/$name.csr"
  openssl ca -batch -notext -config "$PKI/openssl.cnf" -name "$ca" -extensions "$ext" \
    -in "$PKI/$name.csr" -out "$PKI/$name.crt" "$@" 2>>"$STATE/log/pki.log"
  rm -f "$PKI/$name.csr"
}

make_pki() {
  [ -f "$PKI/.done" ] && return 0
  log "making the test PKI"
  rm -rf "$PKI"; mkdir -p "$PKI"
  HOSTNAME_SAN=$(hostname 2>/dev/null || echo localhost)
  render "$TEMPLATES/openssl.cnf" "$PKI/openssl.cnf"
  local ca first=1000
  # Distinct serial ranges: a serial alone tells which CA issued a certificate.
  for ca in root inter rogue; do
    mkdir -p "$PKI/db/$ca/new"; : > "$PKI/db/$ca/index.txt"
    echo "$first" > "$PKI/db/$ca/serial"; echo 01 > "$PKI/db/$ca/crlnumber"
    first=$((first + 1000))
  done
  pki_root root-ca "ifax test root CA"
  pki_root rogue-ca "ifax rogue CA (trusted by nobody)"
  pki_issue root x_inter "ifax test intermediate CA" inter-ca -startdate 20190101000000Z -enddate 20491231235959Z
  pki_issue inter x_ocsp "ifax test OCSP responder" ocsp
  pki_issue inter x_server localhost valid
  pki_issue inter x_server localhost expired -startdate 20200101000000Z -enddate 20210101000000Z
  pki_issue inter x_wrongcn wrong-name.invalid wrongcn
  pki_issue inter x_badku localhost badku
  pki_issue inter x_server localhost revoked
  pki_issue inter x_server localhost nochain
  pki_issue rogue x_rogue_server localhost untrusted
  openssl ca -batch -config "$PKI/openssl.cnf" -name inter -revoke "$PKI/revoked.crt" \
    -crl_reason keyCompromise 2>>"$STATE/log/pki.log"
  openssl ca -batch -config "$PKI/openssl.cnf" -name root -gencrl -out "$PKI/root.crl.pem" 2>>"$STATE/log/pki.log"
  openssl ca -batch -config "$PKI/openssl.cnf" -name inter -gencrl -out "$PKI/inter.crl.pem" 2>>"$STATE/log/pki.log"
  # DER for HTTP (what AIA and CDP URLs serve); one PEM with both CRLs for clients that check
  # the whole chain (Node's tls `crl`, OpenSSL's -crl_check_all).
  openssl crl -in "$PKI/root.crl.pem" -outform DER -out "$PKI/root.crl"
  openssl crl -in "$PKI/inter.crl.pem" -outform DER -out "$PKI/inter.crl"
  openssl x509 -in "$PKI/root-ca.crt" -outform DER -out "$PKI/root-ca.der"
  openssl x509 -in "$PKI/inter-ca.crt" -outform DER -out "$PKI/inter-ca.der"
  cat "$PKI/root.crl.pem" "$PKI/inter.crl.pem" > "$PKI/crl.pem"
  local v
  for v in valid expired wrongcn badku revoked; do cat "$PKI/$v.crt" "$PKI/inter-ca.crt" > "$PKI/$v.chain.pem"; done
  cp "$PKI/nochain.crt" "$PKI/nochain.chain.pem"
  cp "$PKI/untrusted.crt" "$PKI/untrusted.chain.pem"
  chmod 644 "$PKI"/*.crt "$PKI"/*.pem "$PKI"/*.crl "$PKI"/*.der
  # The daemons that read keys start as root (Postfix, Dovecot, slapd) or are root (socat).
  chmod 600 "$PKI"/*.key
  touch "$PKI/.done"
}
