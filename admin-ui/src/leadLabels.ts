// Words for the lead form's fixed answer codes (internal/lead/lead.go), so
// consultants read "100k–1M requests a day", not "100k-1m-per-day".
const labels: Record<string, Record<string, string>> = {
  request_volume: {
    "under-1k-per-day": "Under 1k requests a day", "1k-100k-per-day": "1k–100k requests a day",
    "100k-1m-per-day": "100k–1M requests a day", "over-1m-per-day": "Over 1M requests a day", "not-sure": "Not sure",
  },
  team_language: {
    javascript: "JavaScript", typescript: "TypeScript", python: "Python", go: "Go", java: "Java", csharp: "C#",
    php: "PHP", ruby: "Ruby", rust: "Rust", other: "Other",
  },
  timeline: { asap: "As soon as possible", "1-3-months": "In 1–3 months", "3-6-months": "In 3–6 months", "6-plus-months": "In 6 months or more", exploring: "Just exploring" },
  budget: { "under-10k": "Under 10k", "10k-50k": "10k–50k", "50k-150k": "50k–150k", "over-150k": "Over 150k", "not-sure": "Not sure" },
  status: { new: "New", contacted: "Contacted", qualified: "Qualified", won: "Won", lost: "Lost", spam: "Spam" },
};

/** The label of a code of a lead field; unknown codes are shown as they are. */
export function label(field: keyof typeof labels | string, code: string | null | undefined): string {
  if (!code) return "—";
  return labels[field]?.[code] ?? code;
}
