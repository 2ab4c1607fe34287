export default function Later({ title }: { title: string }) {
  return (
    <>
      <div className="page-header">
        <h1>{title}</h1>
      </div>
      <div className="empty-state">This screen is not available in this version of the dashboard yet.</div>
    </>
  );
}
