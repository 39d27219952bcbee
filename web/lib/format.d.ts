// Types of format.js for the TypeScript that shares it (the `opsmesh` CLI prints numbers, sizes
// and ages the way the console shows them).
export declare const DASH: string;
export declare function sig(v: number | null | undefined, digits?: number): string;
export declare function percent(v: number | null | undefined): string;
export declare function seconds(v: number | null | undefined): string;
export declare function span(ms: number): string;
export declare function rate(v: number | null | undefined): string;
export declare function bytes(n: number | null | undefined): string;
export declare function ago(iso: string | null | undefined, now?: number): string;
export declare function when(iso: string | null | undefined, now?: Date): string;
export declare function millis(v: number): string;
