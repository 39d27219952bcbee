/** The bootstrap admin the auth service created on an empty database, with its generated password. */
export interface AdminCredentials {
  email: string;
  password: string;
}

const EMAIL = '  Bootstrap admin: ';
const PASSWORD = '  Password (shown once): ';

/**
 * The text the auth service writes once, outside its JSON log lines, when it creates the bootstrap
 * admin with a generated password. The supervisor recognises it ({@link AdminCredentialsReader}).
 *
 * @example
 * process.stderr.write(formatAdminCredentials({ email: 'admin@opsmesh.local', password: 'x' }));
 */
export function formatAdminCredentials(c: AdminCredentials): string {
  return `\n${EMAIL}${c.email}\n${PASSWORD}${c.password}\n\n`;
}

/**
 * Picks the credentials out of one child's output, line by line, so the supervisor can hold them
 * until that very child is ready and show them where they are not scrolled away.
 *
 * @example
 * const reader = new AdminCredentialsReader();
 * for (const line of lines) if (!reader.take(line)) print(line);
 * reader.credentials // { email, password } once both lines were seen
 */
export class AdminCredentialsReader {
  private email: string | null = null;
  credentials: AdminCredentials | null = null;

  /** True when the line belonged to the credentials (and must not be printed as it is). */
  take(line: string): boolean {
    if (line.startsWith(EMAIL)) {
      this.email = line.slice(EMAIL.length).trim();
      return true;
    }
    if (line.startsWith(PASSWORD) && this.email !== null) {
      this.credentials = { email: this.email, password: line.slice(PASSWORD.length).trim() };
      this.email = null;
      return true;
    }
    return false;
  }
}
