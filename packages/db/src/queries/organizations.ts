import type { DbOrTx } from '../client';
import type { NewOrganization, Organization } from '../schema';

export async function insertOrganization(db: DbOrTx, values: NewOrganization): Promise<Organization> {
  return db.insertInto('organizations').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findOrganizationBySlug(db: DbOrTx, slug: string): Promise<Organization | undefined> {
  return db.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function getOrganization(db: DbOrTx, id: string): Promise<Organization | undefined> {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}
