import type { LanguageId } from '../parse/grammars';
import type { Dialect } from './dialect';
import { java } from './java';
import { javascript } from './javascript';

export function dialectFor(language: LanguageId): Dialect {
  return language === 'java' ? java : javascript;
}
