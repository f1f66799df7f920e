import { useState } from "react";
import { ApiError, type List } from "../api";
import { useAuth, useLoad } from "../auth";
import { Select, TextField } from "../components/Field";
import type { Category, Role, Technology, User } from "../types";

const roles = [{ value: "admin", label: "admin" }, { value: "editor", label: "editor" }, { value: "consultant", label: "consultant" }];

export function Users() {
  const { api } = useAuth();
  const [users, , reload] = useLoad((a) => a.get<List<User>>("/admin/users?limit=100"), []);
  const [form, setForm] = useState({ email: "", name: "", role: "editor" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState("");
  const [expertise, setExpertise] = useState<User | null>(null);

  async function run(f: () => Promise<unknown>, done: string) {
    setErrors({});
    try {
      await f();
      setMessage(done);
      reload();
    } catch (e) {
      if (e instanceof ApiError) {
        setErrors(e.fields());
        setMessage(e.message);
      }
    }
  }

  async function create() {
    await run(async () => {
      const u = await api.post<User>("/admin/users", form);
      setMessage(`Created ${u.email}. Password (shown once): ${u.generated_password}`);
      setForm({ email: "", name: "", role: "editor" });
    }, "");
  }

  const update = (u: User, change: Partial<Pick<User, "role" | "disabled">>) =>
    run(() => api.put(`/admin/users/${u.id}`, { name: u.name, role: change.role ?? u.role, disabled: change.disabled ?? u.disabled }, u.version), "Saved.");

  return (
    <section>
      <h1>Users</h1>
      {message && <p role="status">{message}</p>}
      <table>
        <thead><tr><th>Email</th><th>Role</th><th>State</th><th /></tr></thead>
        <tbody>
          {users?.data.map((u) => (
            <tr key={u.id}>
              <td>{u.email}</td>
              <td>
                <select aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => update(u, { role: e.target.value as Role })}>
                  {roles.map((r) => <option key={r.value}>{r.value}</option>)}
                </select>
              </td>
              <td>{u.disabled ? "disabled" : "active"}</td>
              <td>
                <button type="button" onClick={() => update(u, { disabled: !u.disabled })}>{u.disabled ? "Enable" : "Disable"}</button>
                {u.role === "consultant" && <button type="button" onClick={() => setExpertise(u)}>Expertise</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={(e) => { e.preventDefault(); create(); }} aria-label="New user">
        <h2>New user</h2>
        <TextField label="Email" value={form.email} error={errors.email} onChange={(v) => setForm({ ...form, email: v })} />
        <TextField label="Name" value={form.name} error={errors.name} onChange={(v) => setForm({ ...form, name: v })} />
        <Select label="Role" value={form.role} error={errors.role} options={roles} onChange={(v) => setForm({ ...form, role: v })} />
        <button type="submit">Create (a password is generated)</button>
      </form>
      {expertise && <Expertise user={expertise} onClose={() => setExpertise(null)} />}
    </section>
  );
}

type Profile = { active: boolean; technologies: string[]; categories: string[] };

function Expertise({ user, onClose }: { user: User; onClose: () => void }) {
  const { api } = useAuth();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [techs] = useLoad((a) => a.get<List<Technology>>("/admin/technologies?limit=100"), []);
  const [cats] = useLoad((a) => a.get<List<Category>>("/admin/categories?limit=100"), []);
  useLoad((a) => a.get<Profile>(`/admin/consultants/${user.id}`).then(setProfile), [user.id]);
  const [message, setMessage] = useState("");
  if (!profile) return null;
  const toggle = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  return (
    <form className="card" aria-label={`Expertise of ${user.email}`} onSubmit={(e) => {
      e.preventDefault();
      api.send("PUT", `/admin/consultants/${user.id}`, profile).then(() => setMessage("Saved."), (err) => setMessage(String(err.message)));
    }}>
      <h2>Expertise of {user.email}</h2>
      <label className="check"><input type="checkbox" checked={profile.active} onChange={(e) => setProfile({ ...profile, active: e.target.checked })} /> Takes leads</label>
      <fieldset><legend>Technologies</legend>
        {techs?.data.map((t) => (
          <label key={t.id} className="check"><input type="checkbox" checked={profile.technologies.includes(t.slug)}
            onChange={() => setProfile({ ...profile, technologies: toggle(profile.technologies, t.slug) })} /> {t.name}</label>
        ))}
      </fieldset>
      <fieldset><legend>Categories</legend>
        {cats?.data.map((c) => (
          <label key={c.id} className="check"><input type="checkbox" checked={profile.categories.includes(c.slug)}
            onChange={() => setProfile({ ...profile, categories: toggle(profile.categories, c.slug) })} /> {c.name}</label>
        ))}
      </fieldset>
      {message && <p role="status">{message}</p>}
      <button type="submit">Save expertise</button> <button type="button" onClick={onClose}>Close</button>
    </form>
  );
}
