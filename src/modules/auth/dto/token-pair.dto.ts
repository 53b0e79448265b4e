import { ApiProperty } from '#libs/common/openapi/api-docs.js';

export class TokenPairDto {
  @ApiProperty({ description: 'Short-lived JWT (HS256) for the Authorization header' })
  accessToken: string;

  @ApiProperty({ description: 'Opaque, single-use refresh token; rotates on every refresh' })
  refreshToken: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ description: 'Access-token lifetime in seconds' })
  expiresIn: number;
}
