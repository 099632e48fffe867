/**
 * Password hashing with Argon2id (@node-rs/argon2: prebuilt binaries, no install script). The library
 * defaults are OWASP's recommended Argon2id parameters (19 MiB, 2 iterations, 1 lane); the PHC string
 * stores them, so raising them later keeps old hashes verifiable.
 */
import { hash, verify } from "@node-rs/argon2";

export const hashPassword = (password: string): Promise<string> => hash(password);

// Verifying against this hash when an email is unknown keeps login time the same either way.
let dummyHash: Promise<string> | null = null;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    dummyHash ??= hash("dummy-password-for-timing");
    await verify(await dummyHash, password);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
