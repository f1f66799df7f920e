import { useRef, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { api, data, ifMatch, type Schemas } from "../api";
import type { Role, User } from "../auth";
import { useCursorList, useDebounced } from "../api/lists";
import { useCategories, useTechnologies } from "../api/queries";
import { Select, TextField } from "../components/Field";
import { ListFooter } from "../components/ListFooter";
import { Notice, useNotice } from "../components/Notice";
import { When } from "../components/When";

const roles = [{ value: "admin", label: "admin" }, { value: "editor", label: "editor" }, { value: "consultant", label: "consultant" }];

export function Users() {
  const [q, setQ] = useState("");
  const [role, setRole] = useState("");
  const search = useDebounced(q.trim());
  const list = useCursorList(["users", search, role], (cursor) =>
    data(api.GET("/api/v1/admin/users", { params: { query: { limit: "50", cursor, include_total: "true", q: search || undefined, role: role || undefined } } })));
  const [form, setForm] = useState({ email: "", name: "", role: "editor" });
  const notice = useNotice();
  const formRef = useRef<HTMLFormElement>(null);
  const [expertise, setExpertise] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);

  async function run(f: () => Promise<unknown>, done?: string) {
    try {
      await f();
      if (done) notice.ok(done);
      list.refetch();
    } catch (e) {
      notice.fail(e);
    }
  }

  const create = () => run(async () => {
    const u = await data(api.POST("/api/v1/admin/users", { body: { ...form, password: "" } }));
    notice.ok(`Created ${u.email}. Password (shown once): ${u.generated_password}`);
    setForm({ email: "", name: "", role: "editor" });
  });

  const update = (u: User, change: Partial<Pick<User, "role" | "disabled">>) =>
    run(() => api.PUT("/api/v1/admin/users/{id}", {
      params: { path: { id: u.id } }, headers: ifMatch(u.version),
      body: { name: u.name, role: change.role ?? u.role, disabled: change.disabled ?? u.disabled } as never,
    }), "Saved.");

  return (
    <section>
      <h1>Users</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>Search <input type="search" value={q} onChange={(e) => setQ(e.target.value)} /></label>
        <label>Role
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="">All</option>
            {roles.map((r) => <option key={r.value}>{r.value}</option>)}
          </select>
        </label>
      </form>
      <Notice note={notice.note} scope={formRef} />
      <div className="table-wrap">
        <table>
          <thead><tr><th>Email</th><th>Role</th><th>State</th><th>Last sign-in</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {list.items.map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>
                  <select aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => update(u, { role: e.target.value as Role })}>
                    {roles.map((r) => <option key={r.value}>{r.value}</option>)}
                  </select>
                </td>
                <td>{u.disabled ? "disabled" : "active"}</td>
                <td>{u.last_login_at ? <When at={u.last_login_at} /> : "never"}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => update(u, { disabled: !u.disabled })}>{u.disabled ? "Enable" : "Disable"}</button>
                  <button type="button" onClick={() => setResetting(u)} aria-label={`Reset password of ${u.email}`}>Reset password</button>
                  {u.role === "consultant" && <button type="button" onClick={() => setExpertise(u)} aria-label={`Expertise of ${u.email}`}>Expertise</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ListFooter list={list} noun="users" />
      {resetting && <ResetPassword user={resetting} onClose={() => setResetting(null)} />}
      {expertise && <Expertise key={expertise.id} user={expertise} onClose={() => setExpertise(null)} />}
      <form ref={formRef} onSubmit={(e) => { e.preventDefault(); create(); }} aria-label="New user">
        <h2>New user</h2>
        <TextField label="Email" name="email" required value={form.email} error={notice.fields.email} onChange={(v) => setForm({ ...form, email: v })} />
        <TextField label="Name" name="name" value={form.name} error={notice.fields.name} onChange={(v) => setForm({ ...form, name: v })} />
        <Select label="Role" name="role" required value={form.role} error={notice.fields.role} options={roles} onChange={(v) => setForm({ ...form, role: v })} />
        <button type="submit" className="primary">Create (a password is generated)</button>
      </form>
    </section>
  );
}

/** An admin sets a new password for someone (generated when left empty); their sessions end. */
function ResetPassword({ user, onClose }: { user: User; onClose: () => void }) {
  const [password, setPassword] = useState("");
  const notice = useNotice();
  const ref = useRef<HTMLFormElement>(null);
  const reset = useMutation({
    mutationFn: () => data(api.POST("/api/v1/admin/users/{id}/password", { params: { path: { id: user.id } }, body: { password } })),
    onSuccess: (r) => notice.ok(r?.generated_password ? `New password for ${user.email} (shown once): ${r.generated_password}` : `Password of ${user.email} changed; their sessions were signed out.`),
    onError: notice.fail,
  });
  return (
    <form ref={ref} className="card" aria-label={`Reset password of ${user.email}`} onSubmit={(e) => { e.preventDefault(); reset.mutate(); }}>
      <h2>Reset password of {user.email}</h2>
      <TextField label="New password" name="password" type="password" autoComplete="new-password" hint="Leave empty to generate one" value={password}
        error={notice.fields.password} onChange={setPassword} />
      <Notice note={notice.note} scope={ref} />
      <button type="submit" className="primary">Set password</button> <button type="button" onClick={onClose}>Close</button>
    </form>
  );
}

type Profile = Schemas["ConsultantRequest"];

function Expertise({ user, onClose }: { user: User; onClose: () => void }) {
  const techs = useTechnologies();
  const cats = useCategories();
  const saved = useQuery({ queryKey: ["consultant", user.id], queryFn: () => data(api.GET("/api/v1/admin/consultants/{id}", { params: { path: { id: user.id } } })) });
  const [edit, setEdit] = useState<Profile | null>(null);
  const notice = useNotice();
  const ref = useRef<HTMLFormElement>(null);
  const save = useMutation({
    // The server takes exactly these three fields; the profile it returns has more.
    mutationFn: (p: Profile) => data(api.PUT("/api/v1/admin/consultants/{id}", { params: { path: { id: user.id } }, body: { active: p.active, technologies: p.technologies, categories: p.categories } })),
    onSuccess: (p) => { setEdit(null); saved.refetch(); notice.ok(p.active ? `Saved: ${user.email} now takes matching leads.` : "Saved: not taking leads."); },
    onError: notice.fail,
  });
  if (!saved.data) return <p role="status">Loading expertise…</p>;
  const profile: Profile = edit ?? { active: saved.data.active, technologies: saved.data.technologies, categories: saved.data.categories };
  const set = (p: Profile) => setEdit(p);
  const toggle = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const idle = !profile.active || (profile.technologies.length === 0 && profile.categories.length === 0);
  return (
    <form ref={ref} className="card" aria-label={`Expertise of ${user.email}`} onSubmit={(e) => { e.preventDefault(); save.mutate(profile); }}>
      <h2>Expertise of {user.email}</h2>
      <p className="muted">New leads go to an active consultant whose technologies or categories match the lead's guide (the longest idle first).</p>
      {idle && <p className="notice warn">{user.email} receives no leads until they take leads and have at least one technology or category.</p>}
      <label className="check"><input type="checkbox" checked={profile.active} onChange={(e) => set({ ...profile, active: e.target.checked })} /> Takes leads</label>
      <fieldset><legend>Technologies</legend>
        <div className="checks">
          {techs.data?.map((t) => (
            <label key={t.id} className="check"><input type="checkbox" checked={profile.technologies.includes(t.slug)}
              onChange={() => set({ ...profile, technologies: toggle(profile.technologies, t.slug) })} /> {t.name}</label>
          ))}
        </div>
      </fieldset>
      <fieldset><legend>Categories</legend>
        <div className="checks">
          {cats.data?.map((c) => (
            <label key={c.id} className="check"><input type="checkbox" checked={profile.categories.includes(c.slug)}
              onChange={() => set({ ...profile, categories: toggle(profile.categories, c.slug) })} /> {c.name}</label>
          ))}
        </div>
      </fieldset>
      <Notice note={notice.note} scope={ref} />
      <button type="submit" className="primary">Save expertise</button> <button type="button" onClick={onClose}>Close</button>
    </form>
  );
}
