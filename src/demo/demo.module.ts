import { Module } from '@nestjs/common';
import { AuthModule } from '#modules/auth/auth.module.js';
import { SessionsModule } from '#modules/sessions/sessions.module.js';
import { TravelersModule } from '#modules/travelers/travelers.module.js';
import { SeedDemoCommand } from './seed-demo.command.js';

/** Operator tooling that spans feature modules (the top of the dependency graph). */
@Module({
  imports: [AuthModule, TravelersModule, SessionsModule],
  providers: [SeedDemoCommand],
})
export class DemoModule {}
