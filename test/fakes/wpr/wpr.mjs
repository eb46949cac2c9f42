#!/usr/bin/env node
// A faithful stand-in for wpr.exe (which does not exist off Windows). It keeps the session in
// a state file, so the same rules hold as for the real tool: start twice = "already running",
// stop or cancel without a session = "no trace profiles running"; -stop writes a non-empty .etl.
// Every call appends its arguments to args.log so tests can check exactly what was run.
//
// Environment:
//   FAKE_WPR_STATE_DIR  folder for session.json and args.log (required)
//   FAKE_WPR_HANG       verb(s) that never return, comma separated (start,stop,cancel,status) or "all"
//   FAKE_WPR_FAIL       verb(s) that exit non-zero with a generic error (exit code FAKE_WPR_EXIT, default 1)
//   FAKE_WPR_NOADMIN=1  every verb fails like an unelevated wpr (access denied)
//   FAKE_WPR_ETL=empty|none|normal  what -stop leaves behind (default normal)
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

const argv = process.argv.slice(2);
const stateDir = process.env.FAKE_WPR_STATE_DIR;
if (!stateDir) {
  process.stderr.write('fake wpr: FAKE_WPR_STATE_DIR is not set\n');
  process.exit(87);
}
mkdirSync(stateDir, { recursive: true });
appendFileSync(
  join(stateDir, 'args.log'),
  JSON.stringify({ argv, cwd: process.cwd(), pid: process.pid }) + '\n',
);

const verb = (argv[0] ?? '').replace(/^[-/]/, '').toLowerCase();
const listed = (name) =>
  (process.env[name] ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .some((v) => v === 'all' || v === verb);

if (listed('FAKE_WPR_HANG')) {
  // Looks like a wedged wpr: never exits on its own.
  setInterval(() => undefined, 1 << 30);
} else {
  main();
}

function out(line) {
  process.stdout.write(line + '\r\n');
}
function fail(code, ...lines) {
  for (const l of lines) process.stderr.write(l + '\r\n');
  process.exit(code);
}

function main() {
  if (process.env.FAKE_WPR_NOADMIN === '1' && verb !== 'help') {
    fail(
      5,
      'Error code: 0x80070005',
      'Access is denied.',
      'Administrator privileges are required to record.',
    );
  }
  if (listed('FAKE_WPR_FAIL')) {
    fail(Number(process.env.FAKE_WPR_EXIT ?? 1), 'Error code: 0xc5580612', 'Fake failure requested.');
  }
  const sessionFile = join(stateDir, 'session.json');
  const session = existsSync(sessionFile) ? JSON.parse(readFileSync(sessionFile, 'utf8')) : null;
  switch (verb) {
    case 'start': {
      const profiles = [];
      for (let i = 0; i < argv.length; i++)
        if (argv[i].toLowerCase() === '-start') profiles.push(argv[i + 1]);
      if (profiles.some((p) => p === undefined)) fail(1, 'Error code: 0xc5580615', 'Missing profile name.');
      if (session) fail(1, 'Error code: 0xc5583001', 'The profiles are already running.');
      const filemode = argv.some((a) => a.toLowerCase() === '-filemode');
      writeFileSync(sessionFile, JSON.stringify({ profiles, filemode, startedAt: Date.now() }));
      out('');
      return process.exit(0);
    }
    case 'stop': {
      const target = argv[1];
      if (!target) fail(1, 'Error code: 0xc5580615', 'Missing output file name.');
      if (!session) fail(1, 'Error code: 0xc5583000', 'There are no trace profiles running.');
      const path = isAbsolute(target) ? target : resolve(process.cwd(), target);
      const mode = process.env.FAKE_WPR_ETL ?? 'normal';
      if (mode !== 'none') {
        // Not a real ETL, but distinct per run and non-empty, which is all the validation checks.
        const body = mode === 'empty' ? '' : `FAKE-ETL ${JSON.stringify(session)} stoppedAt=${Date.now()}\n`;
        writeFileSync(path, body);
      }
      rmSync(sessionFile, { force: true });
      out(`The trace was successfully saved to ${path}`);
      return process.exit(0);
    }
    case 'cancel': {
      if (!session) fail(1, 'Error code: 0xc5583000', 'There are no trace profiles running.');
      rmSync(sessionFile, { force: true });
      out('The recording was cancelled.');
      return process.exit(0);
    }
    case 'status': {
      if (session) out(`WPR recording is in progress... Profiles: ${session.profiles.join(', ')}`);
      else out('WPR is not recording');
      return process.exit(0);
    }
    default:
      fail(1, `Error code: 0xc5580615`, `Unknown option: ${argv[0] ?? '(none)'}`);
  }
}
