// The kinds of file the server accepts (app/domain/uploads/files.server.ts checks them by their bytes), shared
// with the file inputs so a phone's picker and public/file-check.js refuse a wrong file before it is sent.

/** The extensions a type may be saved under; the first is the one it is given otherwise. */
export const EXTENSIONS: Record<string, string[]> = {
  "text/plain": ["txt", "text", "md", "csv", "log"],
  "image/jpeg": ["jpg", "jpeg", "jfif"],
  "image/png": ["png"],
  "image/gif": ["gif"],
  "image/webp": ["webp"],
  "application/pdf": ["pdf"],
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ["docx"],
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["xlsx"],
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": ["pptx"],
  "application/msword": ["doc"],
  "application/vnd.ms-excel": ["xls"],
  "application/vnd.ms-powerpoint": ["ppt", "pps"],
  "audio/mpeg": ["mp3"],
  "audio/mp4": ["m4a"],
  "audio/ogg": ["ogg", "oga", "opus"],
  "audio/wav": ["wav"],
  "video/mp4": ["mp4", "m4v"],
  "video/webm": ["webm"],
};

/**
 * HEIC photos are not stored as such; a browser that can decode them sends them as JPEG (file-check.js),
 * so the picker offers them and the script refuses them where it cannot.
 */
const CONVERTED_IN_BROWSER = { "image/heic": ["heic"], "image/heif": ["heif"] };

/** The accept attribute of a file input for the general kinds: picker hints first, then every extension. */
export const UPLOAD_ACCEPT = ["image/*", "audio/*", "video/*", ...Object.values({ ...EXTENSIONS, ...CONVERTED_IN_BROWSER }).flat().map((ext) => `.${ext}`)].join(",");

/** The types a browser may name a file with that the server accepts (a file named without an extension). */
export const UPLOAD_TYPES = Object.keys({ ...EXTENSIONS, ...CONVERTED_IN_BROWSER }).join(",");
