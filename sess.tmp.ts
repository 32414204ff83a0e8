import { createDb } from "./db/client";
import { createSession, SESSION_COOKIE } from "./app/models/auth/sessions.server";
import { sql } from "drizzle-orm";
const handle = createDb({ databaseUrl: process.env.DATABASE_URL!, max: 1 });
const rows: any = await handle.db.execute(sql`select u.id, a.code, (select m.id from meetings m join meeting_cases mc on mc.meeting_id = m.id where m.area_id = a.id group by m.id having count(*) = 40 limit 1) as meeting from users u join memberships m on m.user_id = u.id join areas a on a.id = m.area_id where m.role = 'chair' order by a.code limit 1`);
const u = rows[0] ?? rows.rows[0];
const { token } = await createSession({ userId: u.id, twoFactorVerified: true, db: handle.db });
console.log(`${SESSION_COOKIE}=${token} ${u.code.toLowerCase()} ${u.meeting}`);
await handle.close();
