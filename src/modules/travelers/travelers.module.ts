import { Module } from '@nestjs/common';
import { TravelersPersonalDataContributor } from './privacy/travelers-personal-data.contributor.js';
import { TravelersController } from './travelers.controller.js';
import { TravelersService } from './travelers.service.js';

/** The people a user travels with; bookings use TravelersService for bookability and snapshots. */
@Module({
  controllers: [TravelersController],
  providers: [TravelersService, TravelersPersonalDataContributor],
  exports: [TravelersService],
})
export class TravelersModule {}
