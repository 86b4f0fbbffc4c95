// npm run start:func: the real Functions host (`func start`, Azure Functions Core
// Tools) with the storage emulator azurite for the SMS queue, for those who have Core
// Tools installed (Azurite is the project's devDependency, on its standard ports, as
// UseDevelopmentStorage=true expects). Core Tools downloads its own binaries, so this
// cannot run where only the npm registry is reachable; npm start needs nothing else.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const azuriteMain = join(
  dirname(createRequire(import.meta.url).resolve('azurite/package.json')),
  'dist/src/azurite.js',
);

if (spawnSync('func', ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.error(
    'npm run start:func: Azure Functions Core Tools (func) is not installed; install Core Tools 4, or use npm start (development host, nothing to install)',
  );
  process.exit(1);
}
if (!existsSync(join(root, 'local.settings.json'))) {
  copyFileSync(join(root, 'local.settings.example.json'), join(root, 'local.settings.json'));
  console.log('made local.settings.json from local.settings.example.json (it is git-ignored)');
}
mkdirSync(join(root, '.local', 'azurite'), { recursive: true });

const children: ChildProcess[] = [
  spawn(
    process.execPath,
    [azuriteMain, '--silent', '--skipApiVersionCheck', '--location', join(root, '.local', 'azurite')],
    {
      cwd: root,
      stdio: 'inherit',
    },
  ),
  spawn('func', ['start'], { cwd: root, stdio: 'inherit' }),
];
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', stop);
