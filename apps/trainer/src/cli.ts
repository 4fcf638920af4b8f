import { methodUsage, parseCommand, UsageError, usage } from './args';
import { evalCommand } from './commands/eval-command';
import { exportCommand } from './commands/export-command';
import { sweepCommand } from './commands/sweep-command';
import { trainCommand } from './commands/train-command';
import { transferCommand } from './commands/transfer-command';

async function main(): Promise<number> {
  const command = parseCommand(process.argv.slice(2));
  if (command.kind === 'help') {
    console.log(command.method ? methodUsage(command.method) : usage());
    return 0;
  }
  if (command.kind === 'eval') return evalCommand(command.probe, command.checkpoint, command.flags);
  if (command.kind === 'export') return exportCommand(command.format, command.checkpoint, command.flags);
  if (command.kind === 'sweep') return sweepCommand(command.args);
  if (command.kind === 'transfer')
    return transferCommand(command.task, command.checkpoints, command.flags, command.transfer);
  return trainCommand(command.method, command.flags, command.methodOptions, {
    isDefaultJob: command.isDefaultJob,
  });
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`genoise: ${error.message}\n\n${usage()}`);
    process.exitCode = 2;
  } else {
    console.error(`genoise: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env['GENOISE_DEBUG'] && error instanceof Error) console.error(error.stack);
    process.exitCode = 1;
  }
}
