import { AliasNameSchema, ModelNameSchema, VersionNumberSchema } from '@opsmesh/contracts';
import { requirePermission } from '@opsmesh/shared';
import { Type } from '@sinclair/typebox';

/** Path parameters, security and permission checks the `/models/...` routes share. */

export const NameParams = Type.Object({ name: ModelNameSchema });
export const VersionParams = Type.Object({ name: ModelNameSchema, version: VersionNumberSchema });
export const AliasParams = Type.Object({ name: ModelNameSchema, alias: AliasNameSchema });
export const security = [{ bearer: [] }];

/** The onRequest checks by permission (they run before any body is read). */
export const modelPermissions = () => ({
  read: requirePermission('models:read'),
  write: requirePermission('models:write'),
  admin: requirePermission('models:admin'),
});
