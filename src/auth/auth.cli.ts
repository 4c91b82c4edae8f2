import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { type Command, Option } from 'commander';
import { randomInt } from 'node:crypto';
import { cliActor } from '../audit/actor.js';
import { withAppContext } from '../bootstrap.js';
import { out } from '../cli-kit.js';
import { CreateUserDto } from './dto/user.dto.js';
import { DEPARTMENTS, ROLES } from './roles.js';
import { UsersService } from './users.service.js';

/** `user create|list|delete`: users and roles (the first admin is created here, docs/security.md). */
export function registerAuthCommands(program: Command): void {
  const user = program.command('user').description('users and roles (the first admin is created here)');
  user
    .command('create')
    .description(
      'create a user; the password is read from stdin with --password-stdin, or generated and printed once',
    )
    .requiredOption('--username <name>', 'lower case, 3-64 of a-z 0-9 . _ -')
    .addOption(new Option('--role <role>', 'role').choices([...ROLES]).makeOptionMandatory())
    .option('--display-name <name>', 'name shown in documents (default: the username)')
    .addOption(
      new Option('--department <code>', 'regulator, inspector: department').choices(Object.keys(DEPARTMENTS)),
    )
    .option('--credential-no <no>', 'inspector: enforcement credential number (执法证号)')
    .option('--uscc <uscc>', 'enterprise user: USCC of its enterprise')
    .option('--password-stdin', 'read the password from the first line of standard input', false)
    .action(
      (o: {
        username: string;
        role: (typeof ROLES)[number];
        displayName?: string;
        department?: string;
        credentialNo?: string;
        uscc?: string;
        passwordStdin: boolean;
      }) =>
        withAppContext(
          async (app) => {
            const password = o.passwordStdin ? await firstLineOfStdin() : generatePassword();
            const dto = plainToInstance(CreateUserDto, {
              username: o.username,
              password,
              displayName: o.displayName ?? o.username,
              role: o.role,
              department: o.department,
              credentialNo: o.credentialNo,
              uscc: o.uscc,
            });
            const errors = await validate(dto);
            if (errors.length)
              throw new Error(
                errors
                  .map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`)
                  .join(' | '),
              );
            const created = await app.get(UsersService).create(dto, cliActor());
            out(
              `created user ${created.id}: ${created.username} (${created.role}${created.department ? `, ${created.department}` : ''}${created.uscc ? `, ${created.uscc}` : ''})`,
            );
            if (!o.passwordStdin) out(`password (shown once): ${password}`);
          },
          { quiet: true },
        ),
    );
  user
    .command('list')
    .description('list users')
    .action(() =>
      withAppContext(
        async (app) => {
          const r = await app.get(UsersService).list({ page: 1, pageSize: 200 });
          for (const u of r.items)
            out(
              `${String(u.id).padStart(5)}  ${u.username.padEnd(24)} ${u.role.padEnd(10)} ${u.department ?? ''}${u.credentialNo ? ` ${u.credentialNo}` : ''}${u.uscc ? ` ${u.uscc}` : ''}`,
            );
          out(`${r.total} users`);
        },
        { quiet: true },
      ),
    );
  user
    .command('delete <username>')
    .description('delete a user (its tokens stop working at once; the row stays for the audit trail)')
    .action((username: string) =>
      withAppContext(
        async (app) => {
          const users = app.get(UsersService);
          const u = await users.forLogin(username);
          if (!u) throw new Error(`no user ${username}`);
          await users.delete(u.id, cliActor());
          out(`deleted user ${u.id}: ${username}`);
        },
        { quiet: true },
      ),
    );
}

/** A random password meeting the policy (letters and digits, 20 characters, each drawn uniformly). */
function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const pw = Array.from({ length: 20 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return /\d/.test(pw) && /[A-Za-z]/.test(pw) ? pw : generatePassword();
}

async function firstLineOfStdin(): Promise<string> {
  let data = '';
  for await (const chunk of process.stdin) {
    data += chunk;
    if (data.includes('\n')) break;
  }
  return data.split(/\r?\n/)[0]!;
}
