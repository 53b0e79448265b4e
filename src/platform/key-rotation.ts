import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { CliCommand, type CliArgs, type CliCommandHandler } from '#libs/common/cli/cli-command.js';
import { keyIdOf } from '#libs/common/crypto/field-cipher.js';
import {
  REENCRYPTION_TARGET_KEY,
  type ReencryptionTarget,
} from '#libs/common/crypto/reencryption.js';
import { type AppConfig, InjectConfig } from '../config/app-config.js';

export interface RotationOptions {
  /** Rows per transaction (default 100). */
  batchSize?: number;
  /** Stop after this many (non-empty) batches in all (a staged run; rerun to continue). */
  maxBatches?: number;
  /** Called after each batch (the CLI prints progress with `--verbose`). */
  onBatch?: (unit: string, rewritten: number) => void;
}

export interface RotationReport {
  activeKeyLabel: string;
  activeKeyId: string;
  /** Per unit (`table.column`, or `document_files` for file bytes). */
  units: Array<{ unit: string; reencrypted: number; remaining: number }>;
  notes: string[];
  /** True when `maxBatches` stopped the run before every unit was done. */
  stoppedEarly: boolean;
}

/**
 * Moves every encrypted column and file to the active data key: asks each @ReencryptsData()
 * provider for batches until none is left. Each batch commits on its own (resumable, safe to
 * kill), touches only rows under another key (idempotent) and skips rows the running
 * application holds locked (`remaining` counts them; rerun).
 */
@Injectable()
export class KeyRotationService {
  constructor(
    private readonly discovery: DiscoveryService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async rotate(options: RotationOptions = {}): Promise<RotationReport> {
    const batchSize = options.batchSize ?? 100;
    let budget = options.maxBatches ?? Number.POSITIVE_INFINITY;
    const units: RotationReport['units'] = [];
    const notes: string[] = [];
    let stoppedEarly = false;
    for (const target of this.targets()) {
      for (const unit of target.units()) {
        let reencrypted = 0;
        while (budget > 0) {
          const rewritten = await target.reencryptBatch(unit, batchSize);
          if (rewritten === 0) break;
          budget -= 1;
          reencrypted += rewritten;
          options.onBatch?.(unit, rewritten);
        }
        const remaining = await target.countStale(unit);
        if (budget <= 0 && remaining > 0) stoppedEarly = true;
        units.push({ unit, reencrypted, remaining });
      }
      notes.push(...((await target.notes?.()) ?? []));
    }
    const active = this.config.DATA_KEY_RING.active;
    return {
      activeKeyLabel: active.label,
      activeKeyId: keyIdOf(Buffer.from(active.key, 'base64')),
      units,
      notes,
      stoppedEarly,
    };
  }

  private targets(): ReencryptionTarget[] {
    return this.discovery
      .getProviders()
      .filter(
        (wrapper) =>
          wrapper.metatype &&
          wrapper.instance &&
          Reflect.getMetadata(REENCRYPTION_TARGET_KEY, wrapper.metatype as object) === true,
      )
      .map((wrapper) => wrapper.instance as ReencryptionTarget);
  }
}

function positiveInt(args: CliArgs, name: string): number | undefined {
  const value = args[name];
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new Error(`--${name} must be a positive integer`);
  return parsed;
}

/**
 * `npm run cli -- keys:rotate [--batch-size N] [--max-batches N] [--verbose]`: re-encrypts
 * document numbers, TOTP secrets, sign-in flow verifiers and document files under the active
 * `DATA_ENCRYPTION_KEY_ID`, and reports counts per table. Exits non-zero while rows remain.
 */
@Injectable()
@CliCommand({
  name: 'keys:rotate',
  description:
    'Re-encrypt every encrypted column and file with the active data key (resumable, batched)',
  usage: '[--batch-size 100] [--max-batches N] [--verbose]',
})
export class KeysRotateCommand implements CliCommandHandler {
  constructor(private readonly rotation: KeyRotationService) {}

  async run(args: CliArgs): Promise<string> {
    const batchSize = positiveInt(args, 'batch-size');
    const maxBatches = positiveInt(args, 'max-batches');
    const verbose = args.verbose === true;
    const report = await this.rotation.rotate({
      ...(batchSize ? { batchSize } : {}),
      ...(maxBatches ? { maxBatches } : {}),
      ...(verbose
        ? {
            onBatch: (unit: string, rewritten: number) =>
              process.stderr.write(`keys:rotate ${unit}: batch of ${rewritten}\n`),
          }
        : {}),
    });
    const lines = [
      `Active data key: ${report.activeKeyLabel} (key id ${report.activeKeyId})`,
      ...report.units.map(
        ({ unit, reencrypted, remaining }) =>
          `${unit}: ${reencrypted} re-encrypted, ${remaining} remaining`,
      ),
      ...report.notes,
    ];
    const remaining = report.units.reduce((sum, unit) => sum + unit.remaining, 0);
    if (remaining > 0) {
      throw new Error(
        `${lines.join('\n')}\n${remaining} row(s) are still under an older key` +
          (report.stoppedEarly ? ' (stopped by --max-batches)' : ' (held by running requests)') +
          '; run keys:rotate again.',
      );
    }
    return lines.join('\n');
  }
}
