import { Module } from '@nestjs/common';
import { TravelersController } from './travelers.controller.js';
import { TravelersService } from './travelers.service.js';

/** The people a user travels with; bookings use TravelersService for bookability and snapshots. */
@Module({
  controllers: [TravelersController],
  providers: [TravelersService],
  exports: [TravelersService],
})
export class TravelersModule {}
