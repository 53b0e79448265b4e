import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SubjectAccount, SubjectDirectory } from '#libs/common/subject-ports.js';
import { UserEntity } from '../entities/user.entity.js';
import { UsersService } from './users.service.js';

const toAccount = (user: UserEntity | null): SubjectAccount | null =>
  user && user.status !== 'deleted' ? { id: user.id, email: user.email, roles: user.roles } : null;

/** Auth's side of the `SUBJECT_DIRECTORY` port (libs/common/subject-ports.ts). */
@Injectable()
export class SubjectDirectoryService implements SubjectDirectory {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
  ) {}

  async findByEmail(email: string): Promise<SubjectAccount | null> {
    return toAccount(await this.users.findByEmail(email));
  }

  async findById(userId: string): Promise<SubjectAccount | null> {
    return toAccount(await this.users.findById(userId));
  }

  async emailsWithRole(role: string): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT email FROM users WHERE $1 = ANY(roles) AND status = 'active' ORDER BY email`,
      [role],
    )) as { email: string }[];
    return rows.map((row) => row.email);
  }
}
