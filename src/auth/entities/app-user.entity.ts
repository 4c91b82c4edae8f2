import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../roles.js';

/** A user of the service (table app_user). Deleted users keep their row (deleted_at) for the audit trail. */
@Entity('app_user')
export class AppUser {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: number;

  /** lower-case, 3-64 of a-z 0-9 . _ - */
  @Column('text')
  username!: string;

  @Column('text', { name: 'display_name' })
  displayName!: string;

  /** bcrypt hash */
  @Column('text', { name: 'password_hash', select: false })
  passwordHash!: string;

  @Column('text')
  role!: Role;

  /** regulator and inspector: department code (auth/roles.ts DEPARTMENTS) */
  @Column('text', { nullable: true })
  department!: string | null;

  /** inspector: enforcement credential number (执法证号) */
  @Column('text', { name: 'credential_no', nullable: true })
  credentialNo!: string | null;

  /** enterprise user: the enterprise it acts for */
  @Column('bigint', { name: 'enterprise_id', nullable: true })
  enterpriseId!: number | null;

  /** raised on password change, deactivation, sign-out everywhere and deletion: older tokens stop working */
  @Column('int', { name: 'token_version' })
  tokenVersion!: number;

  /** false: deactivated (停用): cannot sign in, its sessions and tokens ended */
  @Column('boolean')
  active!: boolean;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt!: Date | null;
}
