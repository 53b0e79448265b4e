import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CONSENT_PURPOSES, type ConsentPurpose } from './consent-purposes.js';

/**
 * One published version of the notice for a consent purpose. Immutable once published (the
 * database refuses UPDATE and DELETE): consent events point at it by (purpose, version) and
 * carry its `text_sha256` as proof of what was shown.
 */
@Entity('consent_notices')
@Unique('uq_consent_notices_purpose_version', ['purpose', 'version'])
export class ConsentNoticeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'enum', enum: CONSENT_PURPOSES, enumName: 'consent_purpose' })
  purpose: ConsentPurpose;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  text: string;

  /** Lower-case hex SHA-256 of the UTF-8 text. */
  @Column({ type: 'char', length: 64 })
  textSha256: string;

  /** Features that cannot be used without a live grant (e.g. `sessions`); empty when optional. */
  @Column({ type: 'text', array: true })
  requiredFor: string[];

  /** When true, grants of earlier versions stop counting once this version is published. */
  @Column({ type: 'boolean' })
  requiresReconsent: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  publishedAt: Date;
}
