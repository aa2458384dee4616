import type { KeyboardEvent, MouseEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ClauseWithCount } from '../api/get-consultation';
import type { TextMode } from '../hooks/use-text-mode';

export const clauseElementId = (key: string) => `clause-${key}`;

interface ClauseListProps {
  clauses: ClauseWithCount[];
  mode: TextMode;
  /** When given, each clause can be chosen by click, touch, or Enter/Space on the focused clause. */
  onSelect?: (key: string) => void;
  selectedKey?: string | null;
  /** Extra content beside each clause (comment count, actions). */
  renderAside?: (clause: ClauseWithCount) => ReactNode;
}

/**
 * The clauses of one item, each with its key visible. In "both" the Chinese and the English
 * stand in two columns aligned clause by clause (stacked on narrow screens). Each text element
 * carries data-clause-key and data-lang and holds exactly the clause's text, so a text selection
 * inside it maps to offsets in that text.
 */
export function ClauseList({ clauses, mode, onSelect, selectedKey, renderAside }: ClauseListProps) {
  const { t } = useTranslation();
  const selectable = !!onSelect;
  let lastParagraph = clauses[0]?.paragraph ?? 0;

  const choose = (key: string) => onSelect?.(key);
  const onClick = (e: MouseEvent<HTMLElement>, key: string) => {
    if (!selectable) return;
    if ((e.target as HTMLElement).closest('a, button, input, textarea, select, label')) return;
    // A click that ends a text selection is for "comment on this passage", not for choosing the clause.
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed && e.currentTarget.contains(sel.anchorNode)) return;
    choose(key);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLElement>, key: string) => {
    if (!selectable || e.target !== e.currentTarget) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose(key);
    }
  };

  return (
    <div className={`clauses mode-${mode}`}>
      {selectable ? (
        <p id="clause-select-hint" className="visually-hidden">
          {t('document.clauseSelectHint')}
        </p>
      ) : null}
      {mode === 'both' ? (
        <div className="clause clause-columns-head" aria-hidden="true">
          <span />
          <div className="clause-texts">
            <span lang="zh-CN">中文</span>
            <span lang="en">English</span>
          </div>
          {renderAside ? <span className="clause-aside" /> : null}
        </div>
      ) : null}
      {clauses.map((c) => {
        const newParagraph = c.paragraph !== lastParagraph;
        lastParagraph = c.paragraph;
        const selected = selectedKey === c.key;
        return (
          <div
            key={c.key}
            id={clauseElementId(c.key)}
            className={`clause${newParagraph ? ' new-paragraph' : ''}${selected ? ' selected' : ''}${selectable ? ' selectable' : ''}`}
            data-clause={c.key}
            tabIndex={selectable ? 0 : -1}
            aria-current={selected ? 'true' : undefined}
            aria-describedby={selectable ? 'clause-select-hint' : undefined}
            onClick={(e) => onClick(e, c.key)}
            onKeyDown={(e) => onKeyDown(e, c.key)}
          >
            <span className="clause-key" aria-label={t('document.clauseLabel', { key: c.key })}>
              {c.key}
            </span>
            <div className="clause-texts">
              {mode !== 'en' ? (
                <p className="clause-text" lang="zh-CN" data-clause-key={c.key} data-lang="zh">
                  {c.text.zh}
                </p>
              ) : null}
              {mode !== 'zh' ? (
                <p className="clause-text" lang="en" data-clause-key={c.key} data-lang="en">
                  {c.text.en}
                </p>
              ) : null}
            </div>
            {renderAside ? <div className="clause-aside">{renderAside(c)}</div> : null}
          </div>
        );
      })}
    </div>
  );
}
