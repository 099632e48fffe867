import { useMutation } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { setToken } from "../../../app/session";
import { describeError, describeFailure } from "../../../shared/errors";
import { LOGIN, REGISTER, type AuthPayload } from "../graphql";
import { useDocumentTitle } from "../../../shared/use-document-title";

/** Sign in or create an account, then go back to where the fan was (`?next=`). */
export function AuthPage({ mode }: { mode: "login" | "register" }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const next = params.get("next") ?? "/";
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [login, loginState] = useMutation<{ login: AuthPayload }>(LOGIN);
  const [register, registerState] = useMutation<{ register: AuthPayload }>(REGISTER);
  const busy = loginState.loading || registerState.loading;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const result =
        mode === "login"
          ? (await login({ variables: { input: { email, password } } })).data?.login
          : (await register({ variables: { input: { name, email, password } } })).data?.register;
      if (!result) return setError("Something went wrong. Please try again.");
      if (result.errors.length > 0) return setError(result.errors.map((item) => describeError(item)).join(" "));
      setToken(result.token);
      navigate(next, { replace: true });
    } catch (failure) {
      setError(describeFailure(failure));
    }
  }

  const title = mode === "login" ? "Sign in" : "Create your account";
  useDocumentTitle(title);
  return (
    <main className="page narrow">
      <h1>{title}</h1>
      <form className="card form" onSubmit={submit} aria-describedby={error ? "auth-error" : undefined}>
        {mode === "register" && (
          <label>
            Name
            <input name="name" autoComplete="name" required value={name} onChange={(event) => setName(event.target.value)} />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={mode === "login" ? "current-password" : "new-password"}
            minLength={mode === "register" ? 8 : undefined}
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        {error && (
          <p id="auth-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {busy ? "Please wait…" : title}
        </button>
        {mode === "login" ? (
          <p>
            New here? <Link to={`/register?next=${encodeURIComponent(next)}`}>Create an account</Link>
          </p>
        ) : (
          <p>
            Already have an account? <Link to={`/login?next=${encodeURIComponent(next)}`}>Sign in</Link>
          </p>
        )}
        {import.meta.env.DEV || import.meta.env.VITE_SHOW_DEMO_ACCOUNTS ? (
          <p className="hint">Development account: fan@boxoffice.test / fan-password</p>
        ) : null}
      </form>
    </main>
  );
}
