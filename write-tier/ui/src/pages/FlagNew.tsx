import { useNavigate, useParams } from 'react-router';
import { api } from '../api/client';
import { FlagForm } from '../components/FlagForm';
import { useToast } from '../components/Toasts';

export default function FlagNew() {
  const { ns = '' } = useParams();
  const navigate = useNavigate();
  const toast = useToast();
  return (
    <>
      <div className="page-header">
        <h1>New Flag</h1>
      </div>
      <FlagForm
        mode="create"
        initial={{ key: '', name: '', description: '', enabled: false, type: 'VARIANT_FLAG_TYPE', metadata: {} }}
        onSubmit={async (v) => {
          try {
            const { metadata, ...rest } = v;
            const flag = await api.createFlag(ns, Object.keys(metadata).length > 0 ? { ...rest, metadata } : rest);
            toast.success('Successfully created flag');
            navigate(`/namespaces/${encodeURIComponent(ns)}/flags/${encodeURIComponent(flag.key)}`);
          } catch (err) {
            toast.error(err);
          }
        }}
      />
    </>
  );
}
