export function originAllowed(request: { method: string; origin: string | undefined; host: string | undefined; allowedOrigins?: string[] }): boolean;
