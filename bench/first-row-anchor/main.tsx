// The bench's anchor for the first device row: about the least a React page can do to show a
// tenant's devices. It asks for the first page of rows through the same window.api, from the same
// loopback server, as the app does, and shows as many rows as the app's table first draws at the
// bench's 1280 × 800 (34: those in view and the overscan below them).
import { useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import type { DeviceRow } from '../../preload/model'
import { api } from '../../renderer/src/api'
import { PAGE_SIZE } from '../../renderer/src/screens/devices/paging'

const tenantId = new URLSearchParams(location.search).get('tenant') ?? ''
const ROWS_SHOWN = 34

function FirstPage() {
  const [rows, setRows] = useState<DeviceRow[]>([])
  useEffect(() => {
    const query = { tenantId, filter: 'all', search: '', cursor: { from: 'start' } } as const
    void api()
      .queryDevices({ ...query, limit: PAGE_SIZE })
      .then((result) => result.ok && setRows(result.value))
  }, [])
  return (
    <table>
      <tbody>
        {rows.slice(0, ROWS_SHOWN).map((row) => (
          <tr key={row.serial}>
            <td>{row.serial}</td>
            <td>{row.model}</td>
            <td>{row.family}</td>
            <td>{row.coverage}</td>
            <td>{row.coverageEnd}</td>
            <td>{row.status}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

createRoot(document.getElementById('root') as HTMLElement).render(<FirstPage />)
