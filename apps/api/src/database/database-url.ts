/** The connection string the process settled on at boot (DATABASE_URL, or the embedded server's). */
export class DatabaseUrl {
  constructor(readonly url: string) {}
}
