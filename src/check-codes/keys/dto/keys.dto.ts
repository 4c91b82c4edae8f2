import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { IsLimitedText } from '../../../http/text-validators.js';
import { KEY_STATUSES } from '../../rules/trust-list.js';

/** Longest reason of a rotation or revocation, characters. */
export const KEY_REASON_MAX = 500;

const NOT_BLANK = /\S/;

/** Body of POST /api/check-code-keys/rotate. */
export class RotateKeyDto {
  @ApiPropertyOptional({
    example: '年度例行轮换',
    description: `why (optional, 1 to ${KEY_REASON_MAX} characters; audited and shown in the key list)`,
  })
  @IsOptional()
  @IsString()
  @Matches(NOT_BLANK, { message: 'reason must not be blank (only spaces)' })
  @IsLimitedText(KEY_REASON_MAX)
  reason?: string;
}

/** Body of POST /api/check-code-keys/:kid/revoke. */
export class RevokeKeyDto {
  @ApiProperty({
    example: '私钥疑似泄露（运维主机被入侵）',
    description: `why the key is revoked (1 to ${KEY_REASON_MAX} characters; audited, shown in the key list)`,
  })
  @IsString()
  @MinLength(1)
  @Matches(NOT_BLANK, { message: 'reason must not be blank (only spaces)' })
  @IsLimitedText(KEY_REASON_MAX)
  reason!: string;
}

/** Path parameter `:kid` of a signing key. */
export class KidParam {
  @ApiProperty({ example: 'q0Ue2pZ8XbQ', description: 'key id: 11 characters of base64url' })
  @Matches(/^[A-Za-z0-9_-]{11}$/, { message: 'kid must be a key id: 11 characters A-Z a-z 0-9 _ -' })
  kid!: string;
}

/** A signing key as the admin page lists it (GET /api/check-code-keys). Times ISO 8601 UTC. */
export class KeyView {
  @ApiProperty({
    example: 'q0Ue2pZ8XbQ',
    description: 'key id: first 8 bytes of SHA-256(SPKI DER), base64url',
  })
  kid!: string;
  @ApiProperty({ example: -8, description: 'COSE algorithm id (-8 EdDSA Ed25519; -65600 SM2 reserved)' })
  alg!: number;
  @ApiProperty({ example: 'Ed25519' }) algName!: string;
  @ApiProperty({
    enum: KEY_STATUSES,
    description: 'active 使用中 / retired 已停用 (verifies) / revoked 已吊销',
  })
  status!: string;
  @ApiProperty({ description: 'when it was made' }) validFrom!: string;
  @ApiProperty({ nullable: true, type: String, description: 'retired: signed nothing after this' })
  signsUntil!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'verifies nothing after this (null: open)' })
  verifiesUntil!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokeReason!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'the rotation note' }) retireReason!:
    string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'username; null: made by the service or the CLI',
  })
  createdBy!: string | null;
  @ApiProperty({ description: 'codes stored under this key' }) codes!: number;
  @ApiProperty({ description: 'of which issued or in use' }) liveCodes!: number;
}

/** Answer of POST /api/check-code-keys/rotate. */
export class RotationView {
  @ApiProperty({ type: KeyView, nullable: true, description: 'the key retired (null: there was none)' })
  retired!: KeyView | null;
  @ApiProperty({ type: KeyView, description: 'the new active key' }) active!: KeyView;
}

/** Answer of POST /api/check-code-keys/:kid/revoke. */
export class RevocationView {
  @ApiProperty({ type: KeyView }) revoked!: KeyView;
  @ApiProperty({
    type: KeyView,
    nullable: true,
    description: 'the active key after the revocation (a new one when the revoked key was active)',
  })
  active!: KeyView | null;
  @ApiProperty({ description: 'codes of the key that were issued or in use, now revoked' })
  codesRevoked!: number;
}

/** An Ed25519 public key as a JWK (RFC 8037). */
export class OkpJwkDoc {
  @ApiProperty({ enum: ['OKP'] }) kty!: string;
  @ApiProperty({ enum: ['Ed25519'] }) crv!: string;
  @ApiProperty({ description: 'the 32-byte public key, base64url' }) x!: string;
  @ApiProperty() kid!: string;
  @ApiProperty({ enum: ['EdDSA'] }) alg!: string;
  @ApiProperty({ enum: ['sig'] }) use!: string;
}

/** One key of the trust list. */
export class TrustListKeyDoc {
  @ApiProperty({ example: 'q0Ue2pZ8XbQ' }) kid!: string;
  @ApiProperty({ example: -8, description: 'COSE algorithm id' }) alg!: number;
  @ApiProperty({ example: 'Ed25519' }) algName!: string;
  @ApiProperty({ enum: KEY_STATUSES }) status!: string;
  @ApiProperty({ description: 'SPKI DER, base64' }) publicKey!: string;
  @ApiProperty({ type: OkpJwkDoc, nullable: true, description: 'the same key as a JWK (Ed25519 keys)' })
  publicKeyJwk!: OkpJwkDoc | null;
  @ApiProperty() validFrom!: string;
  @ApiProperty({ nullable: true, type: String }) signsUntil!: string | null;
  @ApiProperty({ nullable: true, type: String }) verifiesUntil!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
}

/** The trust list's signature. */
export class TrustListSignatureDoc {
  @ApiProperty({ enum: ['Ed25519'] }) alg!: string;
  @ApiProperty({ description: 'id of the audit checkpoint key (GET /api/audit/checkpoint-key keyId)' })
  keyId!: string;
  @ApiProperty({
    description: 'Ed25519 signature (base64) of the canonical JSON of the list without `signature`',
  })
  value!: string;
}

/** The trust list JC-TL/1 (docs/check-code-format.md "信任列表"). */
export class TrustListDoc {
  @ApiProperty({ enum: ['JC-TL/1'] }) format!: string;
  @ApiProperty({ example: '310110', description: 'the issuing bureau (division code, the codes claim 1)' })
  issuer!: string;
  @ApiProperty({ description: 'when this copy was made: later revocations are not in it' })
  generatedAt!: string;
  @ApiProperty({ type: [TrustListKeyDoc], description: 'every key, oldest first' })
  keys!: TrustListKeyDoc[];
  @ApiProperty({ type: TrustListSignatureDoc }) signature!: TrustListSignatureDoc;
}
