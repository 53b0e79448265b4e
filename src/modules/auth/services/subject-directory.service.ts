import { Injectable } from '@nestjs/common';
import type { SubjectAccount, SubjectDirectory } from '#libs/common/subject-ports.js';
import type { UserEntity } from '../entities/user.entity.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { UsersService } from './users.service.js';

const toAccount = (user: UserEntity | null): SubjectAccount | null =>
  user && user.status !== 'deleted' ? { id: user.id, email: user.email, roles: user.roles } : null;

/** Auth's side of the `SUBJECT_DIRECTORY` port (libs/common/subject-ports.ts). */
@Injectable()
export class SubjectDirectoryService implements SubjectDirectory {
  constructor(
    private readonly usersRepository: UsersRepository,
    private readonly users: UsersService,
  ) {}

  async findByEmail(email: string): Promise<SubjectAccount | null> {
    return toAccount(await this.users.findByEmail(email));
  }

  async findById(userId: string): Promise<SubjectAccount | null> {
    return toAccount(await this.users.findById(userId));
  }

  emailsWithRole(role: string): Promise<string[]> {
    return this.usersRepository.activeEmailsWithRole(role);
  }
}
