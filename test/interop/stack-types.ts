/**
 * What the loopback mail stack of the integration tests offers (test/interop/stack.ts starts it:
 * Postfix + Cyrus SASL, Dovecot POP3, MIT Kerberos KDC, slapd, a test PKI with OCSP and CRL).
 * Every address is on loopback; every port is the stack's own, so the stack can run beside other
 * mail servers on the machine.
 */

/** The ports of one certificate variant: a server presenting that certificate. */
export interface TlsVariantPorts {
  /** SMTP with implicit TLS. */
  smtps: number;
  /** SMTP with STARTTLS. */
  starttls: number;
  /** POP3 with implicit TLS. */
  pop3s: number;
}

/** The bad certificates the stack serves, each on its own ports. */
export type TlsVariant = 'expired' | 'wrongcn' | 'untrusted' | 'badku' | 'revoked' | 'nochain';

export interface StackUser {
  /** Login name (also accepted: the full address). */
  login: string;
  password: string;
  /** The user's address, `<login>@ifax.test`. */
  email: string;
}

export interface MailStack {
  /** 127.0.0.1 */
  host: string;
  /** True when the servers also listen on ::1. */
  ipv6: boolean;
  /** The mail domain of the users: ifax.test. */
  domain: string;
  smtp: {
    /** Plain SMTP with STARTTLS offered and AUTH required (AUTH offered before TLS too). */
    starttls: number;
    /** Implicit TLS, AUTH required. */
    smtps: number;
    /** STARTTLS mandatory, AUTH only after TLS. */
    submission: number;
    /** No AUTH: relays only for a client IP that logged in to POP3 within the stack's window. */
    popBeforeSmtp: number;
  };
  /** Seconds a POP3 login opens the POP-before-SMTP port for its client address. */
  popBeforeSmtpWindow: number;
  pop: {
    /** POP3 with STLS, USER/PASS, APOP and SASL. */
    plain: number;
    /** POP3 over implicit TLS. */
    pop3s: number;
  };
  ldap: { port: number; ldapsPort: number; baseDn: string; adminDn: string; adminPassword: string };
  kerberos: {
    realm: string;
    /** Path of the krb5.conf clients must use (KRB5_CONFIG). */
    krb5Conf: string;
    /** The keytab holding `login`'s key. */
    keytab(login: string): string;
    /** The keytab of the servers' principals (smtp/ and pop/ for localhost, 127.0.0.1, mail.ifax.test). */
    servicesKeytab: string;
  };
  pki: {
    /** PEM of the test root CA (what tls.caFile names). */
    caFile: string;
    /**
     * PEM with the CRLs of the root and of the intermediate CA: the server certificates are
     * issued by the intermediate, and whole-chain checks (Node's tls `crl`) need both.
     */
    crlFile: string;
    /** http://127.0.0.1:PORT/ocsp: the OCSP responder named in the certificates' AIA. */
    ocspUrl: string;
    /** PEM of the intermediate CA (what the good servers send after their certificate). */
    intermediateFile: string;
    /** The PEM certificate a variant's server presents (`valid` for the good servers). */
    certFile(variant: TlsVariant | 'valid'): string;
  };
  /** The servers presenting each bad certificate. */
  tls: Record<TlsVariant, TlsVariantPorts>;
  users: StackUser[];
  /** Recipients at this domain get a "relayed" DSN. */
  relayDomain: string;
  /** Recipients at this domain get a "failed" DSN. */
  failDomain: string;
  /** The Maildir of `login` (new/ cur/ tmp/). */
  maildir(login: string): string;
  /** The stack's state directory (logs in log/). */
  stateDir: string;
}
