export { none } from '../../core/base/none';
