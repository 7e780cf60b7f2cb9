/** Does nothing: one function for every "no listener", "nothing to stop" of a bundle (each costs heap). */
export const none = (): void => undefined;
