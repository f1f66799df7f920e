// Queries several screens share, under one cache key each, so a change made
// in one place (a new category from the editor) shows everywhere.
import { useQuery } from "@tanstack/react-query";
import { api, data, type Schemas } from "../api";
import { everyPage } from "./lists";

export type Category = Schemas["Category"];
export type Technology = Schemas["Technology"];
export type Presentation = Schemas["Presentation"];

export const keys = {
  categories: ["categories"] as const,
  technologies: ["technologies"] as const,
  guides: ["guides"] as const,
  leads: ["leads"] as const,
  users: ["users"] as const,
  presentation: ["presentation"] as const,
};

export function useCategories() {
  return useQuery({
    queryKey: keys.categories,
    queryFn: () => everyPage((cursor) => data(api.GET("/api/v1/admin/categories", { params: { query: { limit: "100", cursor } } }))),
    select: (cs) => [...cs].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name)),
  });
}

export function useTechnologies() {
  return useQuery({
    queryKey: keys.technologies,
    queryFn: () => everyPage((cursor) => data(api.GET("/api/v1/admin/technologies", { params: { query: { limit: "100", cursor } } }))),
    select: (ts) => [...ts].sort((a, b) => a.name.localeCompare(b.name)),
  });
}

/**
 * The wording every rendering of a guide shares, as the server has it (the
 * checklist intro, the recommendation verb, the configured call to action):
 * the editor shows these as defaults instead of keeping copies. Read once;
 * they change only when the server is reconfigured.
 */
export function usePresentation() {
  return useQuery({
    queryKey: keys.presentation,
    queryFn: () => data(api.GET("/api/v1/admin/presentation")),
    staleTime: Infinity,
  });
}
