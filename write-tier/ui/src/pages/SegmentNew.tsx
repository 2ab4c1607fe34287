import { useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import { SegmentForm } from '../components/SegmentForm';
import { useToast } from '../components/Toasts';

export default function SegmentNew() {
  const { ns = '' } = useParams();
  const navigate = useNavigate();
  const toast = useToast();
  return (
    <>
      <div className="page-header">
        <h1>New Segment</h1>
      </div>
      <SegmentForm
        mode="create"
        initial={{ key: '', name: '', description: '', matchType: 'ALL_MATCH_TYPE' }}
        onSubmit={async (v) => {
          try {
            const s = await api.createSegment(ns, v);
            toast.success('Successfully created segment');
            navigate(`/namespaces/${encodeURIComponent(ns)}/segments/${encodeURIComponent(s.key)}`);
          } catch (err) {
            toast.error(err);
          }
        }}
      />
    </>
  );
}
