// Checks that PostgreSQL and Redis answer before anything else runs, and says how to start them when
// they do not. Uses only Node built-ins, so it works before `npm install`.
import net from "node:net";

const databaseUrl = new URL(process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/boxoffice");
const redisUrl = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port), timeout: 2000 });
    socket.once("connect", () => { socket.destroy(); resolve(true); });
    socket.once("timeout", () => { socket.destroy(); resolve(false); });
    socket.once("error", () => resolve(false));
  });
}

const checks = [
  { name: "PostgreSQL", env: "DATABASE_URL", host: databaseUrl.hostname, port: databaseUrl.port || 5432 },
  { name: "Redis", env: "REDIS_URL", host: redisUrl.hostname, port: redisUrl.port || 6379 },
];
let missing = 0;
for (const check of checks) {
  if (await reachable(check.host, check.port)) continue;
  missing++;
  console.error(`✗ ${check.name} is not reachable at ${check.host}:${check.port} (${check.env}).`);
}
if (missing > 0) {
  console.error(`
Start them, then run the command again — either of:
  docker compose up -d postgres redis
  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   # Debian PostgreSQL
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
or point DATABASE_URL / REDIS_URL at running servers.`);
  process.exit(1);
}
