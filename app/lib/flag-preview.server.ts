// The preview-as-user loader shared by /platform/flags/preview and /region/preview: the domain decides
// who may preview whom; a login the reader may not see reads like an unknown one, beside the field.
import { ValidationError } from "~/domain/foundation/errors.server";
import { previewCandidates, previewFlags, requirePreviewer } from "~/domain/rollout/flags.server";
import { orErrorPage, pageTitle, requireActor } from "./http.server";

export async function flagPreviewLoader(request: Request) {
  const actor = await requireActor(request);
  const params = new URL(request.url).searchParams;
  const login = (params.get("login") ?? "").slice(0, 100);
  const role = params.get("role");
  const q = (params.get("q") ?? "").slice(0, 50);
  const title = await pageTitle(request, "flags:preview.title");
  return orErrorPage(async () => {
    requirePreviewer(actor);
    const search = { q, candidates: q.trim() ? await previewCandidates(actor, q) : null };
    if (!login.trim()) return { title, login, search, preview: null, error: null };
    try {
      return { title, login, search, preview: await previewFlags(actor, login, role), error: null };
    } catch (error) {
      if (error instanceof ValidationError) return { title, login, search, preview: null, error: error.fields.login ?? { key: error.key } };
      throw error;
    }
  });
}
