import type { ReactNode } from 'react'
import iconUrl from '../../../../assets/icon.svg'
import type { Section } from './sections'

interface SidebarProps {
  section: Section
  onNavigate: (section: Section) => void
  tenantSwitcher: ReactNode
}

export function Sidebar({ section, onNavigate, tenantSwitcher }: SidebarProps) {
  const link = (target: Section, label: string) => (
    <button
      type="button"
      className="nav-link"
      aria-current={section === target ? 'page' : undefined}
      onClick={() => onNavigate(target)}
    >
      {label}
    </button>
  )
  return (
    <aside className="sidebar">
      <div className="brand">
        <img src={iconUrl} alt="" width={28} height={28} />
        <span>AxM Credential Manager</span>
      </div>
      {tenantSwitcher}
      <nav aria-label="Sections" className="nav">
        <ul>
          <li>{link('devices', 'Devices')}</li>
          <li>{link('audit', 'Audit Log')}</li>
          <li className="nav-group">
            <span className="sidebar-heading">Settings</span>
            <ul>
              <li>{link('api-information', 'API Information')}</li>
            </ul>
          </li>
        </ul>
      </nav>
    </aside>
  )
}
