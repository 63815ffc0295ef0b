/** The parts of httpntlm's ntlm module (1.8.13, CommonJS, no types of its own) that ifax uses. */
declare module 'httpntlm/ntlm.js' {
  export interface Type2Message {
    negotiateFlags: number;
    serverChallenge: Buffer;
    targetName?: Buffer;
    targetInfo?: Buffer;
  }
  export interface NtlmOptions {
    domain?: string;
    workstation?: string;
    username?: string;
    password?: string;
  }
  /** "NTLM <base64 Type 1>". */
  export function createType1Message(options: NtlmOptions): string;
  /** Parses "NTLM <base64 Type 2>"; null (and the callback called) when it is not one. */
  export function parseType2Message(raw: string, callback: (err: Error) => void): Type2Message | null;
  /** "NTLM <base64 Type 3>". */
  export function createType3Message(msg2: Type2Message, options: NtlmOptions): string;
  const ntlm: {
    createType1Message: typeof createType1Message;
    parseType2Message: typeof parseType2Message;
    createType3Message: typeof createType3Message;
  };
  export default ntlm;
}
