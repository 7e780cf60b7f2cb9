import { push, replace } from '@zos/router';
import { pathOf, type Route } from '../../core/base/routes';

/** Opens a route of core/base/routes: the only call of `@zos/router`'s push and replace. */
export const open = (route: Route): void =>
  (route.above ? push : replace)({ url: pathOf(route.page), params: route.params ?? '' });
