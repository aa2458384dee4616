import { PendingPage } from '../../components/ui/pending-page';

/** Placeholder: this page is built by another part of the project. Replace this default export. */
export default function ModerationRoute() {
  return <PendingPage page="moderation" />;
}
