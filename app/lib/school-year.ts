// A library resource keeps its year within its stage (junior 1–3); people read the school year (七年级 = 7).
// Shared by the catalogue on the server and the labels the browser shows.

/** The school year as the reader counts it: 七年级 is junior's first year. */
export function schoolYear(stage: string, grade: number): number {
  return stage === "junior" ? grade + 6 : stage === "senior" ? grade + 9 : grade;
}
