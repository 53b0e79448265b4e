import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { notFound } from '#libs/common/errors/problem.exception.js';
import type { UserEntity } from '../entities/user.entity.js';
import { UsersRepository } from '../repositories/users.repository.js';

export const userNotFound = () => notFound('USER_NOT_FOUND', 'No such user.');

/** Lookups of accounts shared by the auth services (emails are normalised here). */
@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  normalizeEmail(email: string): string {
    return email.trim().toLowerCase();
  }

  findByEmail(email: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.on(manager).findByEmail(this.normalizeEmail(email));
  }

  findById(id: string, manager?: EntityManager): Promise<UserEntity | null> {
    return this.on(manager).findById(id);
  }

  async getById(id: string, manager?: EntityManager): Promise<UserEntity> {
    const user = await this.findById(id, manager);
    if (!user) throw userNotFound();
    return user;
  }

  private on(manager: EntityManager | undefined): UsersRepository {
    return manager ? this.users.withManager(manager) : this.users;
  }
}
