import { ApiProperty } from '#libs/common/openapi/api-docs.js';
import { UserResponseDto } from '../dto/user-response.dto.js';

/** The console's token answer: the refresh token travels only in its httpOnly cookie. */
export class ConsoleAccessTokenDto {
  @ApiProperty({ description: 'Short-lived JWT (HS256) for the Authorization header' })
  accessToken: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'Access-token lifetime in seconds' })
  expiresIn: number;
}

export class ConsoleSignInDto extends ConsoleAccessTokenDto {
  @ApiProperty({ type: UserResponseDto })
  user: UserResponseDto;
}
