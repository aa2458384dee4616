import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role, StakeholderGroup } from '@forum/shared';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text', { name: 'password_hash', select: false })
  passwordHash: string;

  @Column('text', { name: 'display_name' })
  displayName: string;

  @Column('text', { name: 'stakeholder_group' })
  stakeholderGroup: StakeholderGroup;

  @Column('text', { nullable: true })
  organization: string | null;

  @Column('char', { length: 2, nullable: true })
  country: string | null;

  @Column('boolean', { default: false })
  verified: boolean;

  @Column('text', { default: 'participant' })
  role: Role;

  @Column('timestamptz', { name: 'suspended_until', nullable: true })
  suspendedUntil: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
