import postgres from 'postgres';
const url = 'postgres://postgres@127.0.0.1:5432/test';
const pool = postgres(url, { max: 3, onnotice: () => {} });
const admin = postgres(url, { max: 1 });
process.on('uncaughtException', (e) => console.log('UNCAUGHT', e.message));
const o = pool.options as any;
console.log(Object.keys(o), o.host, o.port, o.database, o.user, typeof o.pass);
const own = postgres({ host: o.host, port: o.port, database: o.database, user: o.user, pass: o.pass, ssl: o.ssl, max: 1, onnotice: () => {} } as any);
const [{ pid: pid2 }] = await own`select pg_backend_pid() as pid`;
console.log('pid', pid2);
await admin`select pg_terminate_backend(${pid2})`;
await new Promise((res) => setTimeout(res, 100));
let t = Date.now();
try { const x = await own`select pg_backend_pid() as pid`; console.log('own after kill ok', x[0], Date.now() - t); } catch (e) { console.log('own after kill err', (e as Error).message, Date.now() - t); }
try { const x = await own`select pg_backend_pid() as pid`; console.log('own again ok', x[0], Date.now() - t); } catch (e) { console.log('own again err', (e as Error).message, Date.now() - t); }
t = Date.now();
await own.end({ timeout: 5 }); console.log('own end', Date.now() - t);
await pool.end(); await admin.end();
