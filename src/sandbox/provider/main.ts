// The sandbox's terraform-provider-scaleway: a go-plugin server Terraform/OpenTofu start as a
// provider. It refuses to run without the magic cookie, listens on a unix socket with mutual TLS
// (the client certificate Terraform passes, a fresh server certificate), prints the handshake
// line and serves tfplugin6 until Terraform asks it to shut down or goes away.
import { Server, ServerCredentials, status, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeServerCert } from './cert.js';
import { controllerService, healthService, providerService, PROVIDER_RPCS, type Msg } from './proto.js';
import { createProviderService } from './service.js';

export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';

function main(): void {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write(
      'This binary is a plugin. These are not meant to be executed directly.\nPlease execute the program that consumes these plugins, which will\nload any plugins automatically\n',
    );
    process.exit(1);
  }
  const versions = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? '6').split(',');
  if (!versions.includes('6')) {
    process.stderr.write(`this provider speaks plugin protocol 6 only; the client offers ${versions.join(',')}\n`);
    process.exit(1);
  }
  const dir = mkdtempSync(join(process.env.TMPDIR || tmpdir(), 'plugin'));
  const socket = join(dir, 'provider.sock');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });

  const server = new Server();
  const provider = createProviderService();
  const impl: UntypedServiceImplementation = {};
  for (const name of PROVIDER_RPCS) {
    impl[name] = (call: ServerUnaryCall<Msg, Msg>, cb: sendUnaryData<Msg>) => {
      provider.call(name, call.request).then(
        (r) => cb(null, r),
        (err: Error) => cb({ code: status.INTERNAL, details: err.message }),
      );
    };
  }
  server.addService(providerService, impl);
  const exit = () => {
    cleanup();
    process.exit(0);
  };
  server.addService(controllerService, {
    Shutdown: (_c: ServerUnaryCall<Msg, Msg>, cb: sendUnaryData<Msg>) => {
      cb(null, {});
      setTimeout(exit, 10);
    },
  });
  server.addService(healthService, {
    Check: (_c: ServerUnaryCall<Msg, Msg>, cb: sendUnaryData<Msg>) => cb(null, { status: 1 }),
  });

  let creds = ServerCredentials.createInsecure();
  let certField = '';
  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  if (clientCert) {
    const c = makeServerCert();
    creds = ServerCredentials.createSsl(Buffer.from(clientCert), [{ private_key: Buffer.from(c.keyPem), cert_chain: Buffer.from(c.certPem) }], true);
    certField = c.der.toString('base64').replace(/=+$/, '');
  }
  server.bindAsync(`unix://${socket}`, creds, (err) => {
    if (err) {
      process.stderr.write(`failed to listen on ${socket}: ${err.message}\n`);
      cleanup();
      process.exit(1);
    }
    process.stdout.write(`1|6|unix|${socket}|grpc|${certField}\n`);
  });

  // Terraform gone (killed without a Shutdown): do not linger
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) exit();
  }, 500).unref();
  process.on('SIGTERM', exit);
  // go-plugin forwards an interrupt to the plugin too: Terraform decides, StopProvider follows
  process.on('SIGINT', () => {});
}

main();
