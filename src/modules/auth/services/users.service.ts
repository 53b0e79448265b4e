import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { notFound } from '#libs/common/errors/problem.exception.js';
import { UserEntity } from '../entities/user.entity.js';

export const userNotFound = () => notFound('USER_NOT_FOUND', 'No such user.');

/** Lookups of the users table shared by the auth services. */
@Injectable()
export class UsersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  normalizeEmail(email: string): string {
    return email.trim().toLowerCase();
  }

  findByEmail(email: string, manager: EntityManager = this.dataSource.manager) {
    return manager.findOne(UserEntity, { where: { email: this.normalizeEmail(email) } });
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager) {
    return manager.findOne(UserEntity, { where: { id } });
  }

  async getById(id: string, manager?: EntityManager): Promise<UserEntity> {
    const user = await this.findById(id, manager);
    if (!user) throw userNotFound();
    return user;
  }
}
