// Wire types of the admin API. Most come from the SDK generated from the
// server's OpenAPI description, so the UI cannot drift from the API.
import type { Schemas } from "./sdk";

export type Role = "admin" | "editor" | "consultant";
export type User = Schemas["User"];
export type Category = Schemas["Category"];
export type Technology = Schemas["Technology"];

export type GuideDocument = {
  title: string; slug: string; category: string; summary: string; seo_title: string; seo_description: string;
  options: { technology: string; choose_if: string[] }[];
  comparison: { feature: string; values: string[] }[];
  checklist_intro: string;
  checklist: Question[];
  tradeoffs: { id?: string; text: string; technology?: string }[];
  recommendations: { id?: string; technology: string; scenario: string }[];
  faq: { question: string; answer: string }[];
  related: string[];
  cta: { heading: string; title: string; text: string } | null;
};

export type QuestionKind = "" | "single" | "multiple" | "yes_no" | "scale";
export type Choice = { id?: string; label: string; weights?: Record<string, number>; supports?: string };
export type Question = { id?: string; text: string; help: string; kind?: QuestionKind; choices?: Choice[] };

export type Recommendation = {
  leaning: string; tie: boolean;
  options: { slug: string; name: string; score: number; share: number; rank: number }[];
};

export type Analytics = Schemas["Analytics"];

export type GuideStatus = "draft" | "scheduled" | "published" | "archived";
export type AdminGuide = {
  id: string; status: GuideStatus; version: number; revision: number; has_unpublished_changes: boolean;
  published_at: string | null; scheduled_at: string | null; updated_at: string; document?: GuideDocument;
  slug?: string; title?: string; summary?: string; category_id?: string;
};
export type Revision = { number: number; action: string; author_id: string | null; created_at: string; document?: GuideDocument };

export type LeadStatus = "new" | "contacted" | "qualified" | "won" | "lost" | "spam";
export type Lead = {
  id: string; reference: string; status: LeadStatus; name: string; email: string; company: string; role: string;
  project_description: string; guide: { slug: string; title: string } | null;
  answers: { question_id: string; question: string; answer: string }[];
  preferred_technologies: string[]; request_volume: string; team_language: string; timeline: string; budget: string;
  owner_id: string | null; created_at: string; erased_at: string | null; recommendation: Recommendation | null;
  notes?: { id: string; author_id: string | null; body: string; created_at: string }[];
};
export type OutboxMessage = Schemas["Outbox"];

export const emptyDocument = (): GuideDocument => ({
  title: "", slug: "", category: "", summary: "", seo_title: "", seo_description: "",
  options: [{ technology: "", choose_if: [] }, { technology: "", choose_if: [] }],
  comparison: [], checklist_intro: "Ask yourself these questions to guide your decision:", checklist: [],
  tradeoffs: [], recommendations: [], faq: [], related: [], cta: null,
});
